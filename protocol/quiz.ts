/**
 * Quizzes on the wire. A quiz question is a poll of type `quiz` (protocol/polls.ts): it opens,
 * takes ballots and closes as polls do; this file adds what only a quiz has: nicknames, the
 * countdown, scores and the leaderboard. Shared by the server and the browsers (no Node, no DOM).
 * docs/protocol.md ("Quizzes") and docs/polls.md are its prose form.
 *
 * Who may write what: audience connections send `quizName`; everything else here goes from the
 * server to clients.
 */

export const QUIZ_LIMITS = {
  /** A nickname, in characters after tidying. */
  name: 24,
  /** Seconds a question may run. */
  minSeconds: 5,
  maxSeconds: 300,
  defaultSeconds: 20,
  /** Rows in a leaderboard message (the podium uses the first three ranks). */
  leaders: 10,
} as const;

/**
 * Points for one answer: nothing when wrong; when right, 500 for being right plus up to 500 more
 * for speed, falling linearly over the time limit: `round(500 + 500 × (1 − elapsed / limit))`.
 */
export const QUIZ_POINTS = { correct: 500, speed: 500 } as const;

export const QUIZ_ERROR_CODES = {
  quiz_time_up: 'Time is up for that question.',
  quiz_answered: 'You already answered that question.',
} as const;

/* ---------------- client → server ---------------- */

/** The nickname shown on the leaderboard for this participant (set or changed any time). */
export interface QuizNameMessage {
  type: 'quizName';
  key: string;
  name: string;
}

export type QuizClientMessage = QuizNameMessage;

/* ---------------- server → client ---------------- */

/**
 * A quiz question's countdown: sent to everyone when it opens, and to each joiner while it runs.
 * `closesIn` is milliseconds from when it was sent (clocks on phones are not trusted).
 * Ephemeral (no seq): the open itself is a stored `poll` change.
 */
export interface QuizClockMessage {
  type: 'quizClock';
  poll: string;
  closesIn: number;
  seconds: number;
}

export interface QuizStanding {
  /** 1 for the best; the same points share a rank (1, 1, 3). */
  rank: number;
  name: string;
  points: number;
}

/**
 * The quiz's leaderboard after its latest closed question (absolute; the newest replaces the
 * one before). `final` once every question of the quiz is closed: the screen shows a podium.
 */
export interface QuizBoardMessage {
  type: 'quizBoard';
  quiz: string;
  /** Questions closed so far, and in the quiz. */
  closed: number;
  total: number;
  final: boolean;
  /** The best QUIZ_LIMITS.leaders, in rank order (ties in a stable order). */
  leaders: QuizStanding[];
  /** Everyone who answered at least once. */
  players: number;
}

/** One question's outcome for this participant. */
export interface QuizAnswerResult {
  poll: string;
  correct: boolean;
  points: number;
}

/** This participant's own score, sent only to their connections (after each close and on join). */
export interface QuizScoreMessage {
  type: 'quizScore';
  quiz: string;
  /** The nickname the leaderboard shows for them (chosen, or the server's `Player N`). */
  name: string;
  points: number;
  rank: number;
  players: number;
  /** The closed questions they answered, in quiz order. */
  answers: QuizAnswerResult[];
}

export type QuizServerMessage = QuizClockMessage | QuizBoardMessage | QuizScoreMessage;
