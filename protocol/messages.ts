/**
 * livedeck wire protocol: every frame is one JSON object with a `type`.
 * Shared by the server and the browsers, so it imports nothing from Node or the DOM.
 * docs/protocol.md is the prose form of this file; change both together.
 */

import { POLL_ERROR_CODES, type PollClientMessage, type PollServerMessage, type PollView, type Reaction } from './polls.ts';
import { QA_ERROR_CODES, type QaClientMessage, type QaServerMessage } from './qa.ts';
import { QUIZ_ERROR_CODES, type QuizClientMessage, type QuizServerMessage } from './quiz.ts';
import { QA_MORE_ERROR_CODES, type QaMoreClientMessage, type QaMoreServerMessage } from './qa-more.ts';
import { TOPIC_ERROR_CODES, type TopicsClientMessage, type TopicsServerMessage } from './topics.ts';
import { SPEAKER_ERROR_CODES, type SpeakerClientMessage, type SpeakerServerMessage } from './speaker.ts';
import { LIVE_ERROR_CODES, type LiveClientMessage, type LiveServerMessage } from './live.ts';
import { CLUSTER_CLOSE_CODES, CLUSTER_ERROR_CODES } from './cluster.ts';

export const PROTOCOL_VERSION = 1;

/** Largest frame the server accepts, in bytes. Questions and chat lines are short. */
export const MAX_FRAME_BYTES = 16 * 1024;

/** Who a connection is. Only `presenter` may move the deck; `moderator` moderates questions and chat (protocol/qa.ts). */
export type Role = 'audience' | 'screen' | 'presenter' | 'moderator';

/**
 * The synced deck position, exactly reveal.js's `getState()` subset.
 * `indexf` is the index of the last shown fragment, -1 when none is shown.
 */
export interface DeckState {
  indexh: number;
  indexv: number;
  indexf: number;
  paused: boolean;
  overview: boolean;
}

/** Public facts about the talk, sent to everyone at join. */
export interface TalkInfo {
  title: string;
  /** Slide counts per horizontal index (1 + vertical children), so clients can bound navigation. */
  stacks: number[];
  /**
   * Fragment steps per slide, `fragments[h][v]`, as reveal.js counts them (fragments sharing a
   * `data-fragment-index` are one step; code line steps count). `indexf` on that slide ranges
   * from -1 to `fragments[h][v] - 1`.
   */
  fragments: number[][];
}

/* ---------------- client → server ---------------- */

export interface HelloMessage {
  type: 'hello';
  /** Protocol version the client speaks. */
  v: number;
  role: Role;
  /** The talk's join code. */
  talk: string;
  /** The presenter or moderator secret; required for those roles, ignored otherwise. */
  key?: string;
  /** Stable anonymous participant id kept by the browser. */
  participant?: string;
  /**
   * On a reconnect: the highest seq this client applied. The server then answers with
   * `resumed` and exactly the missed messages, or with a full `welcome` (docs/protocol.md).
   */
  lastSeq?: number;
  /** Sent with lastSeq: the epoch of the welcome or resumed that seq counts in (protocol/cluster.ts). */
  epoch?: string;
}

export interface GotoMessage {
  type: 'goto';
  state: DeckState;
}

export interface PingMessage {
  type: 'ping';
  /** Opaque client value echoed in the pong (e.g. a timestamp). */
  t: number;
}

export type ClientMessage = HelloMessage | GotoMessage | PingMessage | PollClientMessage | QaClientMessage | QaMoreClientMessage | TopicsClientMessage | SpeakerClientMessage | LiveClientMessage | QuizClientMessage;
export type ClientMessageType = ClientMessage['type'];

/* ---------------- server → client ---------------- */

/** The snapshot a client gets after hello and after every reconnect. */
export interface WelcomeMessage {
  type: 'welcome';
  v: number;
  seq: number;
  /** Names the talk's numbering: a client sends it back with lastSeq (docs/protocol.md, Cluster mode). */
  epoch: string;
  role: Role;
  /** This connection's id; deck updates it caused carry it as `origin`. */
  connection: string;
  talk: TalkInfo;
  deck: DeckState;
  audience: number;
  /** Speaker notes keyed "h/v", only in a presenter's welcome. */
  notes?: Record<string, string>;
  /** Every poll of the talk, results included where this client may see them (protocol/polls.ts). */
  polls?: PollView[];
  /** Reaction totals so far, only in a presenter's or moderator's welcome (a reload keeps counting from them). */
  reactions?: Partial<Record<Reaction, number>>;
}

/**
 * The answer to a hello with a `lastSeq` the server can still cover: the messages this role
 * missed since `seq` follow immediately, in order. Otherwise the server sends a `welcome`.
 */
export interface ResumedMessage {
  type: 'resumed';
  v: number;
  /** The client's lastSeq, echoed: replay starts after it. */
  seq: number;
  epoch: string;
  role: Role;
  connection: string;
  audience: number;
}

export interface DeckMessage {
  type: 'deck';
  seq: number;
  state: DeckState;
  /** Connection id of the presenter who made the move. */
  origin: string;
}

/** Ephemeral and absolute (the latest count wins), so it carries no seq. */
export interface PresenceMessage {
  type: 'presence';
  audience: number;
  /** Of those, phones on a fallback transport (SSE or long-polling); to the presenter only. */
  slow?: number;
}

export interface PongMessage {
  type: 'pong';
  t: number;
  /** The server's clock (epoch ms) when it answered: with `t`, a client estimates its offset (media sync). */
  server?: number;
}

/** Answers a client message that carried an idempotency key: it is stored (or was already). */
export interface AckMessage {
  type: 'ack';
  key: string;
  seq: number;
}

export const ERROR_CODES = {
  bad_json: 'The frame is not valid JSON.',
  bad_message: 'The message does not match the protocol.',
  unknown_type: 'The message type is not known.',
  version: 'The server does not speak this protocol version.',
  not_joined: 'Send hello before anything else.',
  already_joined: 'This connection has already joined.',
  unknown_talk: 'No talk has that join code.',
  forbidden: 'This role may not do that.',
  bad_key: 'The presenter key is wrong.',
  out_of_range: 'That slide does not exist in this deck.',
  rate_limited: 'Too many messages; slow down.',
  too_many_guesses: 'Too many wrong join codes from your network.',
  internal: 'The server could not handle that message; nothing was changed. Try again.',
  ...QA_ERROR_CODES,
  ...POLL_ERROR_CODES,
  ...QUIZ_ERROR_CODES,
  ...QA_MORE_ERROR_CODES,
  ...TOPIC_ERROR_CODES,
  ...SPEAKER_ERROR_CODES,
  ...LIVE_ERROR_CODES,
  ...CLUSTER_ERROR_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The type of the client message that caused it, when known. */
  ref?: string;
  /** The idempotency key of the refused message, so the client can drop it from its outbox. */
  key?: string;
  /** With `unavailable`: resend the write after about this long (the client jitters it). */
  retryAfterMs?: number;
}

export type ServerMessage = WelcomeMessage | ResumedMessage | DeckMessage | PresenceMessage | PongMessage | ErrorMessage | AckMessage | PollServerMessage | QaServerMessage | QaMoreServerMessage | TopicsServerMessage | SpeakerServerMessage | LiveServerMessage | QuizServerMessage;
export type ServerMessageType = ServerMessage['type'];

/** WebSocket close codes the server uses (4000–4999 are application codes). */
export const CLOSE_CODES = {
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  badHello: 4001,
  badKey: 4003,
  ...CLUSTER_CLOSE_CODES,
} as const;
