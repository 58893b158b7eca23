/** Valibot schemas for the poll, reaction and pace messages; merged into protocol/parse.ts's table. */
import * as v from 'valibot';
import { POLL_LIMITS, POLL_TYPES, REACTIONS, type PollClientMessage } from './polls.ts';

const pollId = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
/** Idempotency keys: printable ASCII, bounded. */
const idemKey = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\x21-\x7e]+$/));
/** User text: bounded and not blank; it is only ever shown as text. */
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

const ballotValue = v.union([
  v.strictObject({
    choices: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(POLL_LIMITS.options - 1))), v.maxLength(POLL_LIMITS.options)),
  }),
  v.strictObject({ text: text(POLL_LIMITS.text) }),
  v.strictObject({ words: v.pipe(v.array(v.pipe(v.string(), v.maxLength(POLL_LIMITS.word * 4))), v.minLength(1), v.maxLength(POLL_LIMITS.wordsPerPerson)) }),
]);

export const pollSchemas = {
  ballot: v.object({ type: v.literal('ballot'), poll: pollId, key: idemKey, value: ballotValue }),
  openPoll: v.object({ type: v.literal('openPoll'), poll: pollId }),
  closePoll: v.object({ type: v.literal('closePoll'), poll: pollId }),
  createPoll: v.object({
    type: v.literal('createPoll'),
    key: idemKey,
    poll: v.strictObject({
      type: v.picklist(POLL_TYPES),
      question: text(POLL_LIMITS.question),
      options: v.pipe(v.array(text(POLL_LIMITS.option)), v.maxLength(POLL_LIMITS.options)),
      results: v.picklist(['live', 'closed']),
    }),
    openNow: v.boolean(),
  }),
  react: v.object({ type: v.literal('react'), reaction: v.picklist(REACTIONS) }),
  pace: v.object({ type: v.literal('pace'), signal: v.picklist(['fast', 'slow', 'ok']) }),
} satisfies { [K in PollClientMessage['type']]: v.GenericSchema<unknown, Extract<PollClientMessage, { type: K }>> };
