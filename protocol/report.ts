/**
 * The report after the talk, as JSON: what `GET /t/<code>/report.json`, the `report` section of
 * the export and `livedeck report --json` give, and what the report page draws. It is read over
 * HTTP, never sent on the WebSocket, so it has no wire schema. Shared by the server and the
 * browser, so it imports nothing from Node or the DOM. docs/report.md is its prose form.
 *
 * Each section is its own key, built by one function on the server and drawn by one function on
 * the page, so a feature adds a section without touching the others.
 */
import type { PollResultsMode, PollStatus, PollType, Reaction } from './polls.ts';
import type { QuestionState } from './qa.ts';

export const REPORT_VERSION = 1;

/** One slide of the deck, in reveal.js order. */
export interface ReportSlide {
  /** `${indexh}/${indexv}`, the key every per-slide section uses. */
  key: string;
  /** What a person calls it: "3", or "3.2" for a vertical child. */
  label: string;
  /** The slide's first heading, else the start of its text, else "Slide 3". */
  title: string;
}

/** Time spent on each slide, from the deck moves in the log and their times. */
export interface TimelineSection {
  /** Epoch ms of the first and last event of the talk; null when the log is empty. */
  start: number | null;
  end: number | null;
  /** Time on slides: end - start minus pauses, overview and breaks. */
  shownMs: number;
  /** Time with the deck paused (reveal.js's B key, a black screen). */
  pausedMs: number;
  /** Time in reveal.js's overview. */
  overviewMs: number;
  /** Silences longer than `breakAfterMs` with nothing in the log (server stopped, nobody connected): not counted. */
  breaks: Array<{ from: number; to: number }>;
  breakAfterMs: number;
  /** Per slide key: time shown and how many times the deck arrived on it. Slides never shown are absent. */
  slides: Record<string, { ms: number; visits: number }>;
}

/** Audience connections over time, from the presence samples the server records. */
export interface PresenceSection {
  /** Step series: the count holds from one sample to the next. */
  samples: Array<{ at: number; audience: number }>;
  peak: number;
  peakAt: number | null;
  /** Time-weighted mean over the samples' span, rounded to tenths. */
  mean: number;
}

export interface ReportQuestion {
  id: string;
  text: string;
  name: string | null;
  votes: number;
  state: QuestionState;
  answered: boolean;
  at: number;
}

/** Questions by the slide they were asked on, most votes first. */
export interface QuestionsSection {
  total: number;
  answered: number;
  slides: Record<string, ReportQuestion[]>;
}

/** Reactions per slide (the slide live when they were sent). */
export interface ReactionsSection {
  total: Partial<Record<Reaction, number>>;
  slides: Record<string, Partial<Record<Reaction, number>>>;
}

/** Pace signals per slide: how many times phones said "too fast" or "too slow". */
export interface PaceSection {
  total: { fast: number; slow: number };
  slides: Record<string, { fast: number; slow: number }>;
}

export interface ReportPoll {
  id: string;
  question: string;
  type: PollType;
  status: PollStatus;
  results: PollResultsMode;
  /** Slide key the poll is written on, null for one created live. */
  slide: string | null;
  ballots: number;
  options: Array<{ text: string; count: number }>;
  words: Array<{ text: string; count: number }>;
  answers: string[];
}

export interface TalkReport {
  version: typeof REPORT_VERSION;
  talk: { code: string; title: string };
  generatedAt: number;
  slides: ReportSlide[];
  timeline: TimelineSection;
  presence: PresenceSection;
  questions: QuestionsSection;
  reactions: ReactionsSection;
  pace: PaceSection;
  polls: ReportPoll[];
}

/** Event kinds the report's recorder writes into the talk's log. */
export const REPORT_EVENTS = {
  /** `{ audience }`: audience connections, sampled on change and once a minute. */
  presence: 'presence',
  /** `{ slides: { "h/v": { like: 3 } } }`: reactions counted since the last tally. */
  reactions: 'reactions.tally',
  /** `{ slides: { "h/v": { fast: 1, slow: 0 } } }`: pace signals counted since the last tally. */
  pace: 'pace.tally',
} as const;

/** A duration as people read it: "12:05", "1:02:03", or "4.2 s" for the few seconds a rehearsal spends on a slide. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
