/**
 * Schemas for the interaction messages (protocol/qa.ts), merged into parse.ts's table.
 * Text bounds here are generous frame-level bounds; the exact limits (QA_LIMITS) are checked
 * by the handlers, so an over-long question is answered with an error that carries its key.
 */
import * as v from 'valibot';
import { MODERATION_ACTIONS, type QaClientMessage, type SlideRef } from './qa.ts';

const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));
const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[\x21-\x7e]+$/));
const text = v.pipe(v.string(), v.maxLength(4000));
const name = v.optional(v.nullable(v.pipe(v.string(), v.maxLength(400))));

export const slideRefSchema = v.strictObject({
  indexh: index,
  indexv: index,
  indexf: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(10_000)),
}) satisfies v.GenericSchema<unknown, SlideRef>;

type Schemas = { [K in QaClientMessage['type']]: v.GenericSchema<unknown, Extract<QaClientMessage, { type: K }>> };

export const qaSchemas = {
  ask: v.object({ type: v.literal('ask'), key: token(64), text, name, slide: slideRefSchema }),
  upvote: v.object({ type: v.literal('upvote'), key: token(64), question: token(64), on: v.boolean() }),
  chat: v.object({ type: v.literal('chat'), key: token(64), text, name }),
  moderate: v.object({ type: v.literal('moderate'), question: token(64), action: v.picklist(MODERATION_ACTIONS) }),
  qa_mode: v.object({ type: v.literal('qa_mode'), approveFirst: v.boolean() }),
  chat_delete: v.object({ type: v.literal('chat_delete'), id: token(64) }),
} satisfies Schemas;
