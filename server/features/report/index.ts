/**
 * The report after the talk (issue 13): time per slide, the audience over time, questions,
 * reactions, pace and polls. start.ts calls `attachReport` (it records what the report needs and
 * serves it); the reactions and pace handlers tell `reportOf(host)` what they counted; the CLI
 * (server/cli/report.ts) builds the same report from a stopped talk's data dir.
 */
import type { PaceSignal, Reaction } from '../../../protocol/polls.ts';
import type { TalkReport } from '../../../protocol/report.ts';
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

/** Starts recording presence, reactions and pace for the report. `stop()` it before the store closes. */
export function attachReport(host: TalkHost, titles: Record<string, string>, options: Partial<RecorderOptions> = {}): ReportRecorder {
  const recorder = new ReportRecorder(host, options);
  attached.set(host.talk, { recorder, titles });
  recorders.set(host, recorder);
  // The log is read once now, before the server listens, so a report asked for mid-talk reads only what is new.
  readLog(host.talk);
  recorder.start();
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
