/**
 * Audience interaction on the wire: participants, questions (Q&A) with upvotes and moderation,
 * and chat. Shared by the server and the browsers: no Node, no DOM.
 *
 * Who may send what (the server enforces it):
 *  - audience: ask, upvote, chat (each with an idempotency `key`, answered by an `ack`)
 *  - presenter and moderator: moderate, qa_mode, chat_delete
 * Who hears what:
 *  - presenter and moderator see every question, whatever its state;
 *  - audience and screen see only public questions (visible, answered);
 *  - an asker's own connections also see their pending and hidden questions (marked `mine`).
 */
import type { QuestionAnswer } from './qa-more.ts';

/** Limits, counted in Unicode code points (what a person perceives as characters, near enough). */
export const QA_LIMITS = {
  questionChars: 280,
  chatChars: 280,
  nameChars: 40,
  /** Per participant: at most `count` within `windowMs`. */
  ask: { count: 3, windowMs: 60_000 },
  chat: { count: 10, windowMs: 30_000 },
  upvote: { count: 30, windowMs: 10_000 },
  /** How much of the chat a joining client gets. */
  chatSnapshot: 200,
  /** How many questions a joining client gets at most (newest kept). */
  questionSnapshot: 500,
} as const;

/** Where the asker was looking when they asked (their own view, which may differ from live). */
export interface SlideRef {
  indexh: number;
  indexv: number;
  /** Last shown fragment, -1 when none. */
  indexf: number;
}

/**
 * - pending: waiting for approval (approve-first mode); staff and the asker only
 * - visible: public, open
 * - answered: public, done
 * - hidden: taken down by staff; staff and the asker only
 */
export type QuestionState = 'pending' | 'visible' | 'answered' | 'hidden';

export interface Question {
  id: string;
  text: string;
  /** Display name, or null when asked anonymously. */
  name: string | null;
  slide: SlideRef;
  /** Epoch milliseconds when it was asked. */
  at: number;
  votes: number;
  state: QuestionState;
  /** Only in messages for the asker's own connections. */
  mine?: boolean;
  /** Only in messages for one participant: whether they have upvoted it. */
  voted?: boolean;
  /** The presenter's or a moderator's answer in text (protocol/qa-more.ts). */
  answer?: QuestionAnswer;
  /** The asker changed the text after asking. */
  edited?: boolean;
  /** Only in messages for staff: the asker's handle, for `mute`. */
  author?: string;
}

export interface ChatLine {
  id: string;
  text: string;
  name: string | null;
  at: number;
  /** Only in messages for the sender's own connections. */
  mine?: boolean;
  /** Only in messages for staff: the sender's handle, for `mute`. */
  author?: string;
}

export type ModerationAction = 'approve' | 'hide' | 'show' | 'answer' | 'reopen' | 'delete' | 'highlight' | 'unhighlight';
export const MODERATION_ACTIONS: readonly ModerationAction[] = [
  'approve',
  'hide',
  'show',
  'answer',
  'reopen',
  'delete',
  'highlight',
  'unhighlight',
];

/* ---------------- client → server ---------------- */

export interface AskMessage {
  type: 'ask';
  /** Client-made idempotency key: a resend with the same key is stored once. */
  key: string;
  text: string;
  /** Display name; omitted or null to ask anonymously. */
  name?: string | null;
  slide: SlideRef;
}

export interface UpvoteMessage {
  type: 'upvote';
  key: string;
  question: string;
  /** true to upvote, false to take the vote back. */
  on: boolean;
}

export interface ChatSendMessage {
  type: 'chat';
  key: string;
  text: string;
  name?: string | null;
}

export interface ModerateMessage {
  type: 'moderate';
  question: string;
  action: ModerationAction;
}

export interface QaModeMessage {
  type: 'qa_mode';
  /** When on, new questions wait for approval before the audience sees them. */
  approveFirst: boolean;
}

export interface ChatDeleteMessage {
  type: 'chat_delete';
  id: string;
}

export type QaClientMessage = AskMessage | UpvoteMessage | ChatSendMessage | ModerateMessage | QaModeMessage | ChatDeleteMessage;

/* ---------------- server → client ---------------- */

/** All questions this connection may see, sent right after the welcome. */
export interface QaSnapshotMessage {
  type: 'qa_snapshot';
  seq: number;
  approveFirst: boolean;
  /** Id of the question shown on the screen, or null. */
  highlight: string | null;
  questions: Question[];
}

/** A question was asked or changed (votes, state); replaces any copy with the same id. */
export interface QuestionMessage {
  type: 'question';
  seq: number;
  question: Question;
}

/** A question was deleted, or left what this connection may see. */
export interface QuestionRemovedMessage {
  type: 'question_removed';
  seq: number;
  id: string;
}

export interface QaStateMessage {
  type: 'qa_state';
  seq: number;
  approveFirst: boolean;
  highlight: string | null;
}

/** The last lines of the chat, sent right after the welcome. */
export interface ChatSnapshotMessage {
  type: 'chat_snapshot';
  seq: number;
  lines: ChatLine[];
}

export interface ChatLineMessage {
  type: 'chat_line';
  seq: number;
  line: ChatLine;
}

export interface ChatRemovedMessage {
  type: 'chat_removed';
  seq: number;
  id: string;
}

export type QaServerMessage =
  | QaSnapshotMessage
  | QuestionMessage
  | QuestionRemovedMessage
  | QaStateMessage
  | ChatSnapshotMessage
  | ChatLineMessage
  | ChatRemovedMessage;

export const QA_ERROR_CODES = {
  not_found: 'No question or chat line has that id.',
  empty_text: 'The text is empty.',
  text_too_long: 'The text is longer than allowed.',
  no_participant: 'Send a participant id in hello to take part.',
} as const;

/* ---------------- shared helpers ---------------- */

/** Length as people count it (code points, so an emoji is not two). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Control characters other than newline and tab never reach anyone's screen. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A question or chat line as stored: no control characters, trimmed, at most one blank line in a row. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(/\t/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}

/** One line of user text (a name, a poll word or option): no control or direction-override characters. */
export function cleanLine(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** A display name: one line, trimmed; empty means anonymous (null). */
export function cleanName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const clean = cleanLine(name);
  return clean === '' ? null : clean;
}

/** "3" or "3.2" as people count slides (one-based, vertical index only inside a stack). */
export function slideRefLabel(slide: Pick<SlideRef, 'indexh' | 'indexv'>): string {
  return slide.indexv > 0 ? `${slide.indexh + 1}.${slide.indexv + 1}` : `${slide.indexh + 1}`;
}

export function isPublic(state: QuestionState): boolean {
  return state === 'visible' || state === 'answered';
}
