/**
 * Questions and chat, second part: the asker edits or withdraws their own question while it is
 * unanswered; staff answer a question in text and mute a participant (docs/protocol.md,
 * "Editing, answers in text and muting").
 *
 * Who may send what (the server enforces it):
 *  - audience: edit_question, withdraw_question (own questions only, while unanswered)
 *  - presenter and moderator: answer_question, mute
 * Staff name a participant by `author`, an opaque handle the server derives from the participant
 * id (Question.author, ChatLine.author); the participant id itself, which is the phone's only
 * credential for its own writes, never leaves the server.
 */

export interface EditQuestionMessage {
  type: 'edit_question';
  /** Idempotency key, as for `ask`. */
  key: string;
  question: string;
  text: string;
}

export interface WithdrawQuestionMessage {
  type: 'withdraw_question';
  key: string;
  question: string;
}

export interface AnswerQuestionMessage {
  type: 'answer_question';
  question: string;
  /** The answer, shown under the question everywhere it is shown; null takes it back. */
  text: string | null;
}

export interface MuteMessage {
  type: 'mute';
  /** The participant's handle (Question.author / ChatLine.author). */
  author: string;
  /** true mutes, false unmutes. */
  on: boolean;
}

export type QaMoreClientMessage = EditQuestionMessage | WithdrawQuestionMessage | AnswerQuestionMessage | MuteMessage;

/** To a participant's own connections, at once and after every (re)join while muted. */
export interface MutedMessage {
  type: 'muted';
  seq: number;
  muted: boolean;
  /** What the phone shows, in words. */
  message: string;
}

/** To staff: who is muted now (after every change and on join). */
export interface MutesMessage {
  type: 'mutes';
  seq: number;
  authors: string[];
}

export type QaMoreServerMessage = MutedMessage | MutesMessage;

export const MUTED_TEXT = 'The moderator has paused your questions and chat.';
export const UNMUTED_TEXT = 'You can ask questions and chat again.';

export const QA_MORE_ERROR_CODES = {
  muted: MUTED_TEXT,
  own_question: 'You cannot upvote your own question.',
  not_yours: 'Only the person who asked a question may change it.',
  already_answered: 'The question has been answered; it can no longer be changed.',
} as const;

/** A question's answer in text. */
export interface QuestionAnswer {
  text: string;
  /** Epoch milliseconds. */
  at: number;
}

export const ANSWER_CHARS = 1000;
