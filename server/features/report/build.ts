/**
 * Builds the report of one talk from its log and its replayed state. One function per section
 * (`SECTIONS`): a feature that wants its own part of the report adds a key to `TalkReport`
 * (protocol/report.ts), a function here and a drawing in report/sections.ts.
 */
import type { DeckState } from '../../../protocol/messages.ts';
import type { PaceSection, QuestionsSection, ReactionsSection, ReportPoll, ReportSlide, TalkReport } from '../../../protocol/report.ts';
import { REPORT_EVENTS, REPORT_VERSION } from '../../../protocol/report.ts';
import { REACTIONS, type Reaction } from '../../../protocol/polls.ts';
import { slideRefLabel } from '../../../protocol/qa.ts';
import type { Talk } from '../../talk/talk.ts';
import { pollBoardOf } from '../polls/index.ts';
import { tally } from '../polls/tally.ts';
import { qaOf } from '../qa/index.ts';
import { presenceSeries, type PresenceSample } from './presence.ts';
import { slideKeyOf } from '../../../protocol/live.ts';
import { BREAK_AFTER_MS, timeline, type LogPoint } from './timeline.ts';

/** What the sections read: the talk (with its features' state replayed), its slides, and the log's report-relevant events. */
export interface ReportInput {
  talk: Talk;
  slides: ReportSlide[];
  log: ReportLog;
  breakAfterMs: number;
}

export interface ReportLog {
  /** Every event's time, with the deck state for deck moves. */
  points: LogPoint[];
  presence: PresenceSample[];
  reactions: Array<Record<string, Partial<Record<Reaction, number>>>>;
  pace: Array<Record<string, { fast?: number; slow?: number }>>;
}

type SectionName = Exclude<keyof TalkReport, 'version' | 'talk' | 'generatedAt' | 'slides'>;

const SECTIONS: { [K in SectionName]: (input: ReportInput) => TalkReport[K] } = {
  timeline: ({ log, breakAfterMs }) => timeline(log.points, breakAfterMs),
  presence: ({ log }) => presenceSeries(log.presence),
  questions: questionsSection,
  reactions: reactionsSection,
  pace: paceSection,
  polls: pollsSection,
};

export interface BuildOptions {
  /** Slide titles by key (server/deck/titles.ts); slides without one are called "Slide 3". */
  titles: Record<string, string>;
  now?: number;
  breakAfterMs?: number;
}

export function buildReport(talk: Talk, options: BuildOptions): TalkReport {
  const input: ReportInput = { talk, slides: deckSlides(talk, options.titles), log: readLog(talk), breakAfterMs: options.breakAfterMs ?? BREAK_AFTER_MS };
  const sections = Object.fromEntries(Object.entries(SECTIONS).map(([name, build]) => [name, build(input)])) as Pick<TalkReport, SectionName>;
  return { version: REPORT_VERSION, talk: { code: talk.code, title: talk.info.title }, generatedAt: options.now ?? Date.now(), slides: input.slides, ...sections };
}

function deckSlides(talk: Talk, titles: Record<string, string>): ReportSlide[] {
  return talk.info.stacks.flatMap((size, indexh) =>
    Array.from({ length: size }, (_, indexv) => {
      const key = slideKeyOf({ indexh, indexv });
      const label = slideRefLabel({ indexh, indexv });
      return { key, label, title: titles[key] ?? `Slide ${label}` };
    }),
  );
}

const WITH_DATA = ['deck', ...Object.values(REPORT_EVENTS)];

/**
 * What the sections need from the log, kept per talk and read on from where the last report
 * stopped: a talk of 20 000 phones has hundreds of thousands of ballots, and the report is asked
 * for while the talk runs (the relay shares this thread). The store gives only these kinds' data.
 */
const cache = new WeakMap<Talk, { after: number; log: ReportLog }>();

export function readLog(talk: Talk): ReportLog {
  let cached = cache.get(talk);
  if (!cached) {
    cached = { after: 0, log: { points: [], presence: [], reactions: [], pace: [] } };
    cache.set(talk, cached);
  }
  const { log } = cached;
  const { store } = talk;
  for (;;) {
    const batch = store.eventsWithDataOf ? store.eventsWithDataOf(talk.code, WITH_DATA, cached.after, 5000) : store.events(talk.code, cached.after, 5000);
    if (batch.length === 0) break;
    for (const event of batch) {
      cached.after = event.seq;
      if (event.kind === 'deck') log.points.push({ at: event.at, deck: event.data as DeckState });
      else log.points.push({ at: event.at });
      const data = event.data as Record<string, unknown> | null;
      if (event.kind === REPORT_EVENTS.presence && typeof data?.audience === 'number') log.presence.push({ at: event.at, audience: data.audience });
      else if (event.kind === REPORT_EVENTS.reactions && isObject(data?.slides)) log.reactions.push(data.slides as ReportLog['reactions'][number]);
      else if (event.kind === REPORT_EVENTS.pace && isObject(data?.slides)) log.pace.push(data.slides as ReportLog['pace'][number]);
    }
  }
  return log;
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

function questionsSection({ talk }: ReportInput): QuestionsSection {
  const out: QuestionsSection = { total: 0, answered: 0, slides: {} };
  for (const q of qaOf(talk).board.all()) {
    out.total++;
    if (q.state === 'answered') out.answered++;
    (out.slides[slideKeyOf(q.slide)] ??= []).push({
      id: q.id,
      text: q.text,
      name: q.name,
      votes: q.voters.size,
      state: q.state,
      answered: q.state === 'answered',
      at: q.at,
    });
  }
  for (const list of Object.values(out.slides)) list.sort((a, b) => b.votes - a.votes || a.at - b.at);
  return out;
}

function reactionsSection({ log }: ReportInput): ReactionsSection {
  const out: ReactionsSection = { total: {}, slides: {} };
  for (const tallyBySlide of log.reactions) {
    for (const [key, counts] of Object.entries(tallyBySlide)) {
      for (const reaction of REACTIONS) {
        const n = count(counts[reaction]);
        if (n === 0) continue;
        const slide = (out.slides[key] ??= {});
        slide[reaction] = (slide[reaction] ?? 0) + n;
        out.total[reaction] = (out.total[reaction] ?? 0) + n;
      }
    }
  }
  return out;
}

function paceSection({ log }: ReportInput): PaceSection {
  const out: PaceSection = { total: { fast: 0, slow: 0 }, slides: {} };
  for (const tallyBySlide of log.pace) {
    for (const [key, counts] of Object.entries(tallyBySlide)) {
      const slide = (out.slides[key] ??= { fast: 0, slow: 0 });
      for (const signal of ['fast', 'slow'] as const) {
        slide[signal] += count(counts[signal]);
        out.total[signal] += count(counts[signal]);
      }
    }
  }
  return out;
}

const EVERYTHING = { words: Infinity, answers: Infinity };

function pollsSection({ talk }: ReportInput): ReportPoll[] {
  return (pollBoardOf(talk)?.all() ?? []).map(({ poll, status, ballots }) => {
    const results = tally(poll, ballots.values(), EVERYTHING);
    return {
      id: poll.id,
      question: poll.question,
      type: poll.type,
      status,
      results: poll.results,
      slide: poll.slide ? slideKeyOf({ indexh: poll.slide.h, indexv: poll.slide.v }) : null,
      ballots: results.ballots,
      options: poll.options.map((text, i) => ({ text, count: results.counts[i] ?? 0 })),
      words: results.words,
      answers: results.answers,
    };
  });
}
