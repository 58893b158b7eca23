/** Valibot schemas for protocol/qa-more.ts, both directions. Exact text limits are the handlers'. */
import * as v from 'valibot';
import type { QaMoreClientMessage, QaMoreServerMessage } from './qa-more.ts';

const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[\x21-\x7e]+$/));
const text = v.pipe(v.string(), v.maxLength(8000));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));

export const qaMoreClientSchemas = {
  edit_question: v.object({ type: v.literal('edit_question'), key: token(64), question: token(64), text }),
  withdraw_question: v.object({ type: v.literal('withdraw_question'), key: token(64), question: token(64) }),
  answer_question: v.object({ type: v.literal('answer_question'), question: token(64), text: v.nullable(text) }),
  mute: v.object({ type: v.literal('mute'), author: token(64), on: v.boolean() }),
} satisfies { [K in QaMoreClientMessage['type']]: v.GenericSchema<unknown, Extract<QaMoreClientMessage, { type: K }>> };

export const qaMoreServerSchemas = {
  muted: v.strictObject({ type: v.literal('muted'), seq, muted: v.boolean(), message: v.string() }),
  mutes: v.strictObject({ type: v.literal('mutes'), seq, authors: v.array(token(64)) }),
} satisfies { [K in QaMoreServerMessage['type']]: v.GenericSchema<unknown, Extract<QaMoreServerMessage, { type: K }>> };
