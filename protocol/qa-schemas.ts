/**
 * Schemas for the interaction messages (protocol/qa.ts), merged into parse.ts's table.
 * Text bounds here are generous frame-level bounds; the exact limits (QA_LIMITS) are checked
 * by the handlers, so an over-long question is answered with an error that carries its key.
 */
import * as v from 'valibot';
import { ANSWER_CHARS } from './qa-more.ts';
import { MODERATION_ACTIONS, QA_LIMITS, type QaClientMessage, type QaServerMessage, type SlideRef } from './qa.ts';

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

export const qaClientSchemas = qaSchemas;

/* ---------------- server → client ---------------- */

const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const at = v.pipe(v.number(), v.integer(), v.minValue(0), v.description('Epoch milliseconds.'));
const shownName = v.pipe(v.nullable(v.string()), v.description(`Display name (at most ${QA_LIMITS.nameChars} code points), or null: anonymous.`));

export const questionSchema = v.strictObject({
  id: v.string(),
  text: v.pipe(v.string(), v.description(`At most ${QA_LIMITS.questionChars} code points; plain text.`)),
  name: shownName,
  slide: slideRefSchema,
  at,
  votes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  state: v.picklist(['pending', 'visible', 'answered', 'hidden']),
  mine: v.optional(v.pipe(v.boolean(), v.description("Only to the asker's own connections."))),
  voted: v.optional(v.pipe(v.boolean(), v.description('Only to the participant it describes: whether they upvoted it.'))),
  answer: v.optional(
    v.pipe(
      v.strictObject({ text: v.pipe(v.string(), v.description(`At most ${ANSWER_CHARS} code points; plain text.`)), at }),
      v.description("The presenter's or a moderator's answer in text."),
    ),
  ),
  edited: v.optional(v.pipe(v.boolean(), v.description('The asker changed the text after asking.'))),
  author: v.optional(v.pipe(v.string(), v.description("Only to staff: the asker's handle, for `mute`."))),
});

export const chatLineSchema = v.strictObject({
  id: v.string(),
  text: v.pipe(v.string(), v.description(`At most ${QA_LIMITS.chatChars} code points; plain text.`)),
  name: shownName,
  at,
  mine: v.optional(v.pipe(v.boolean(), v.description("Only to the sender's own connections."))),
  author: v.optional(v.pipe(v.string(), v.description("Only to staff: the sender's handle, for `mute`."))),
});

const highlight = v.pipe(v.nullable(v.string()), v.description('The question shown on the screen, or null.'));

type ServerSchemas = { [K in QaServerMessage['type']]: v.GenericSchema<unknown, Extract<QaServerMessage, { type: K }>> };

export const qaServerSchemas = {
  qa_snapshot: v.strictObject({
    type: v.literal('qa_snapshot'),
    seq,
    approveFirst: v.boolean(),
    highlight,
    questions: v.pipe(v.array(questionSchema), v.maxLength(QA_LIMITS.questionSnapshot)),
  }),
  question: v.strictObject({ type: v.literal('question'), seq, question: questionSchema }),
  question_removed: v.strictObject({ type: v.literal('question_removed'), seq, id: v.string() }),
  qa_state: v.strictObject({ type: v.literal('qa_state'), seq, approveFirst: v.boolean(), highlight }),
  chat_snapshot: v.strictObject({ type: v.literal('chat_snapshot'), seq, lines: v.pipe(v.array(chatLineSchema), v.maxLength(QA_LIMITS.chatSnapshot)) }),
  chat_line: v.strictObject({ type: v.literal('chat_line'), seq, line: chatLineSchema }),
  chat_removed: v.strictObject({ type: v.literal('chat_removed'), seq, id: v.string() }),
} satisfies ServerSchemas;
