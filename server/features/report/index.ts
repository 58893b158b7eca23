/**
 * The report after the talk (issue 13): time per slide, the audience over time, questions,
 * reactions, pace and polls. `reportFeature` (in the talk's feature list) records what the report
 * needs; start.ts calls `attachReport` to serve it and stops the recorder last; the reactions and
 * pace features tell `reportOf(host)` what they counted; the CLI (server/cli/report.ts) builds
 * the same report from a stopped talk's data dir.
 */
import type { PaceSignal, Reaction } from '../../../protocol/polls.ts';
import type { TalkReport } from '../../../protocol/report.ts';
import { REPORT_EVENTS } from '../../../protocol/report.ts';
import type { Feature } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Talk } from '../../talk/talk.ts';
import { registerExportSection } from '../export/index.ts';
import { buildReport, readLog } from './build.ts';
import { reportRows } from './rows.ts';
import { ReportRecorder, type RecorderOptions } from './recorder.ts';

export { buildReport } from './build.ts';
export { reportText } from './text.ts';
export type { RecorderOptions } from './recorder.ts';

interface Attached {
  recorder: ReportRecorder;
  titles: Record<string, string>;
}

const attached = new WeakMap<Talk, Attached>();
const recorders = new WeakMap<TalkHost, ReportRecorder>();

/**
 * Records presence, reactions and pace for the report once the talk is live. Its writes are
 * server-made and keyed by time bucket; it watches the presence samples every node writes.
 */
export function reportFeature(host: TalkHost, options: Partial<RecorderOptions> = {}): Feature {
  const recorder = new ReportRecorder(host, options);
  recorders.set(host, recorder);
  return {
    name: 'report',
    kinds: Object.values(REPORT_EVENTS),
    apply(event, live) {
      // Only live: at start no one is connected yet, and a restart alone should add no sample.
      const audience = (event.data as { audience?: unknown } | null)?.audience;
      if (live && event.kind === REPORT_EVENTS.presence && typeof audience === 'number') recorder.applied(audience);
    },
    started: () => recorder.start(),
  };
}

/**
 * Serves the report with the deck's slide titles, and gives back the recorder, which the caller
 * stops after the last connection closed (its last sample says everyone left), before the store closes.
 */
export function attachReport(host: TalkHost, titles: Record<string, string>): ReportRecorder {
  const recorder = recorders.get(host);
  if (!recorder) throw new Error('attachReport: the talk runs without reportFeature.');
  attached.set(host.talk, { recorder, titles });
  // The log is read once now, before the server listens, so a report asked for mid-talk reads only what is new.
  readLog(host.talk);
  return recorder;
}

/** The hooks for the ephemeral signals; a no-op for a talk without a report. */
export function reportOf(host: TalkHost): { reaction(reaction: Reaction): void; paceSignal(signal: PaceSignal): void } {
  return recorders.get(host) ?? NO_REPORT;
}

const NO_REPORT = { reaction: () => undefined, paceSignal: () => undefined };

/** The report of a live talk; its slide titles come from `attachReport`. */
export function liveReport(talk: Talk): TalkReport {
  return buildReport(talk, { titles: attached.get(talk)?.titles ?? {} });
}

registerExportSection({ name: 'report', json: liveReport, rows: (talk) => reportRows(liveReport(talk)) });
