/**
 * The asker's own changes (edit, withdraw) and staff's answers in text. Same rule as every write:
 * recorded in the talk's log first, then applied and told, then acknowledged.
 */
import { ANSWER_CHARS } from '../../../protocol/qa-more.ts';
import { QA_LIMITS } from '../../../protocol/qa.ts';
import type { HandlerContext } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { isStaffRole } from '../fanout.ts';
import { isMuted } from '../mute/index.ts';
import { hostOf, type FeatureHandler } from '../peers.ts';
import { ack, refuse } from '../reply.ts';
import { checkWritten } from '../written.ts';
import { QA_EVENTS, type AnswerTextData, type EditedData, type StoredQuestion, type WithdrawnData } from './board.ts';
import { audienceMember, qaOf } from './index.ts';
import { ackWhenCommitted, commitFailed } from '../committed.ts';

type Handler<T extends 'edit_question' | 'withdraw_question' | 'answer_question'> = FeatureHandler<T>;

function joinedHost(peer: Peer, ctx: HandlerContext, ref: string): TalkHost | undefined {
  const host = hostOf(peer, ctx);
  if (!host) refuse(peer, 'not_joined', ref);
  return host;
}

/**
 * The question the asker may still change, or a refusal carrying the key. Someone else's question
 * is refused as `not_yours` only when the sender could see it anyway; otherwise `not_found`, so
 * a guessed id says nothing about hidden questions.
 */
function ownUnanswered(peer: Peer, host: TalkHost, participant: string, id: string, ref: string, key: string): StoredQuestion | null {
  const { board } = qaOf(host.talk);
  const question = board.get(id);
  if (!question) {
    refuse(peer, 'not_found', ref, undefined, key);
    return null;
  }
  if (question.asker !== participant) {
    const visible = question.state === 'visible' || question.state === 'answered';
    refuse(peer, visible ? 'not_yours' : 'not_found', ref, undefined, key);
    return null;
  }
  if (board.isAnswered(question)) {
    refuse(peer, 'already_answered', ref, undefined, key);
    return null;
  }
  return question;
}

export const ownQuestionHandlers: { [K in 'edit_question' | 'withdraw_question' | 'answer_question']: Handler<K> } = {
  edit_question(peer, msg, ctx) {
    const host = joinedHost(peer, ctx, 'edit_question');
    if (!host) return;
    const participant = audienceMember(peer, 'edit_question', msg.key, 'edit their questions');
    if (!participant) return;
    const { board } = qaOf(host.talk);
    const seen = board.seenKey(participant, msg.key);
    if (seen !== undefined) return ack(peer, msg.key, seen);
    if (isMuted(host.talk, participant)) return refuse(peer, 'muted', 'edit_question', undefined, msg.key);
    const question = ownUnanswered(peer, host, participant, msg.question, 'edit_question', msg.key);
    if (!question) return;
    const written = checkWritten(peer, 'edit_question', msg.key, { text: msg.text }, { noun: 'question', maxChars: QA_LIMITS.questionChars, whenEmpty: 'Type a question first.' });
    if (!written) return;
    const data: EditedData = { question: question.id, text: written.text };
    ackWhenCommitted(peer, 'edit_question', msg.key, host.talk.commit({ kind: QA_EVENTS.edited, data, participant, key: msg.key }));
  },

  withdraw_question(peer, msg, ctx) {
    const host = joinedHost(peer, ctx, 'withdraw_question');
    if (!host) return;
    const participant = audienceMember(peer, 'withdraw_question', msg.key, 'withdraw their questions');
    if (!participant) return;
    const { board } = qaOf(host.talk);
    const seen = board.seenKey(participant, msg.key);
    if (seen !== undefined) return ack(peer, msg.key, seen);
    const question = ownUnanswered(peer, host, participant, msg.question, 'withdraw_question', msg.key);
    if (!question) return;
    const data: WithdrawnData = { question: question.id };
    ackWhenCommitted(peer, 'withdraw_question', msg.key, host.talk.commit({ kind: QA_EVENTS.withdrawn, data, participant, key: msg.key }));
  },

  answer_question(peer, msg, ctx) {
    const host = joinedHost(peer, ctx, 'answer_question');
    if (!host) return;
    if (!isStaffRole(peer.role)) return refuse(peer, 'forbidden', 'answer_question', 'Only the presenter and moderators answer questions.');
    const { board } = qaOf(host.talk);
    const question = board.get(msg.question);
    if (!question) return refuse(peer, 'not_found', 'answer_question');
    let text: string | null = null;
    if (msg.text !== null) {
      const written = checkWritten(peer, 'answer_question', undefined, { text: msg.text }, { noun: 'answer', maxChars: ANSWER_CHARS, whenEmpty: 'Type an answer first.' });
      if (!written) return;
      text = written.text;
    }
    if (text === (question.answer?.text ?? null)) return;
    const data: AnswerTextData = { question: question.id, text };
    host.talk.commit({ kind: QA_EVENTS.answerText, data, participant: null, key: null }).catch(commitFailed(peer, 'answer_question'));
  },
};
