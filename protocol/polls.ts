/**
 * Live polls, reactions and the pace signal on the wire. Shared by the server and the browsers,
 * so it imports nothing from Node or the DOM. docs/protocol.md and docs/polls.md are its prose form.
 *
 * Who may write what: audience connections send `ballot`, `react` and `pace`; only presenter
 * (and moderator, where that role exists) connections send `openPoll`, `closePoll`, `createPoll`.
 */

export const POLL_TYPES = ['single', 'multiple', 'words', 'rating', 'text', 'quiz', 'ranking'] as const;
/**
 * single/multiple: choose among options; words: a word cloud; rating: a scale; text: open answers;
 * quiz: a timed question with correct answers, scored (protocol/quiz.ts); ranking: order the options.
 */
export type PollType = (typeof POLL_TYPES)[number];

/** `live`: the audience sees results while the poll is open; `closed`: only after it closes. */
export type PollResultsMode = 'live' | 'closed';
/** `on-slide`: opens itself the first time its slide is shown; `manual`: the presenter opens it. */
export type PollOpenMode = 'on-slide' | 'manual';
/** A poll starts `ready`, and may go open → closed → open again (ballots are kept). */
export type PollStatus = 'ready' | 'open' | 'closed';

export const POLL_LIMITS = {
  question: 200,
  option: 80,
  options: 12,
  /** A word-cloud entry: a word or two. */
  word: 32,
  /** An open-text answer. */
  text: 280,
  /** Open-text answers kept in a results message (the newest). */
  answersShown: 100,
  /** Words kept in a results message (the most frequent). */
  wordsShown: 60,
  /** Polls a talk may have (deck + live). */
  polls: 200,
  /** Words one person may give a word cloud (`max-words`). */
  wordsPerPerson: 10,
  /** Entries in a poll's deny-list. */
  deny: 200,
} as const;

export interface PollSlide {
  h: number;
  v: number;
}

export interface PollDefinition {
  /** Unique within the talk: letters, digits, `-` and `_`. */
  id: string;
  type: PollType;
  question: string;
  /** Choices for single/multiple; for rating the scale's labels ("1".."5"); empty otherwise. */
  options: string[];
  results: PollResultsMode;
  open: PollOpenMode;
  /** The slide the poll is written on; null for a poll created live from the console. */
  slide: PollSlide | null;
  /** words: how many words one person may give (default 1). */
  maxWords?: number;
  /**
   * words: normalised words never counted nor shown. Server-only: views sent to clients leave
   * it out (a deny-list is a list of words nobody should see).
   */
  deny?: string[];
  /** quiz: which quiz it belongs to, its time limit, and (staff always, others once closed) its correct options. */
  quiz?: QuizSpec;
}

export interface QuizSpec {
  /** Questions with the same quiz id share one leaderboard; the podium shows when all are closed. */
  id: string;
  /** Seconds to answer once the presenter opens the question. */
  seconds: number;
  /** Indexes of the correct options. Left out of the audience's views until the question closes. */
  correct?: number[];
  /** More than one option is correct: phones let people pick several (the count is no secret). */
  several: boolean;
}

/** Absolute tallies (never deltas): the latest results message for a poll replaces the one before. */
export interface PollResults {
  /** How many participants have a ballot in. */
  ballots: number;
  /** Per option (single, multiple, rating): how many ballots chose it. */
  counts: number[];
  /** Word cloud entries, most frequent first (words). */
  words: Array<{ text: string; count: number }>;
  /** The newest open-text answers, oldest first (text). */
  answers: string[];
  /** ranking: average rank per option (1 = first), 0 when nobody ranked yet; `counts` then holds Borda points. */
  ranks?: number[];
}

/**
 * A participant's ballot: option indexes for choice, rating and quiz polls (a ranking: every
 * option, best first), text for words and text polls, `words` for a cloud taking several words.
 */
export type BallotValue = { choices: number[] } | { text: string } | { words: string[] };

/** One poll as a client sees it. `results` is null when this client may not see them yet. */
export interface PollView {
  poll: PollDefinition;
  status: PollStatus;
  /** The seq of the last stored change included in this view; per-poll floor for clients. */
  seq: number;
  results: PollResults | null;
  /** This participant's current ballot (only in a welcome, only to its owner). */
  mine?: BallotValue;
}

export const REACTIONS = ['like', 'love', 'laugh', 'clap', 'wow'] as const;
export type Reaction = (typeof REACTIONS)[number];
/** Emoji and a text label for each reaction (test machines and some projectors lack emoji fonts). */
export const REACTION_FACES: Record<Reaction, { emoji: string; label: string }> = {
  like: { emoji: '👍', label: 'Like' },
  love: { emoji: '❤️', label: 'Love' },
  laugh: { emoji: '😂', label: 'Funny' },
  clap: { emoji: '👏', label: 'Applause' },
  wow: { emoji: '🤯', label: 'Mind blown' },
};

/** `fast`: too fast; `slow`: too slow / lost me; `ok`: withdraws the participant's signal. */
export type PaceSignal = 'fast' | 'slow' | 'ok';

export const POLL_ERROR_CODES = {
  unknown_poll: 'No poll has that id.',
  poll_closed: 'That poll is not open.',
} as const;

/* ---------------- client → server ---------------- */

export interface BallotMessage {
  type: 'ballot';
  poll: string;
  /** Client-made idempotency key: a resend after a lost ack is counted once. */
  key: string;
  value: BallotValue;
}

export interface OpenPollMessage {
  type: 'openPoll';
  poll: string;
}

export interface ClosePollMessage {
  type: 'closePoll';
  poll: string;
}

/** A poll written live in the console; the server assigns its id. */
export interface CreatePollMessage {
  type: 'createPoll';
  key: string;
  poll: { type: PollType; question: string; options: string[]; results: PollResultsMode };
  /** Open it at once. */
  openNow: boolean;
}

export interface ReactMessage {
  type: 'react';
  reaction: Reaction;
}

export interface PaceMessage {
  type: 'pace';
  signal: PaceSignal;
}

export type PollClientMessage =
  | BallotMessage
  | OpenPollMessage
  | ClosePollMessage
  | CreatePollMessage
  | ReactMessage
  | PaceMessage;

/* ---------------- server → client ---------------- */

/** A poll was created, opened or closed (a stored change: carries its seq). */
export interface PollMessage {
  type: 'poll';
  seq: number;
  view: PollView;
}

/**
 * Coalesced results of one poll: at most a few per second however many ballots arrive.
 * `asOf` is the seq of the newest change counted; clients ignore results older than the view
 * they hold. Not itself a stored change, so it has no `seq` (and is not replayed on resume:
 * a resuming client is sent every poll's current results instead).
 */
export interface ResultsMessage {
  type: 'results';
  poll: string;
  asOf: number;
  results: PollResults;
}

/** Reactions received since the last such message (ephemeral, no seq), to screens and presenters. */
export interface ReactionsMessage {
  type: 'reactions';
  counts: Partial<Record<Reaction, number>>;
}

/** Decayed pace signal weight per slide key "h/v" (ephemeral, absolute, presenters only). */
export interface PaceReportMessage {
  type: 'paceReport';
  slides: Record<string, { fast: number; slow: number }>;
  /** Participants currently holding a signal of each kind (any slide). */
  active: { fast: number; slow: number };
}

export type PollServerMessage = PollMessage | ResultsMessage | ReactionsMessage | PaceReportMessage;
