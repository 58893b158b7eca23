/** Valibot schemas for the topic messages (protocol/topics.ts), both directions. */
import * as v from 'valibot';
import { TOPIC_NAME, type TopicData, type TopicsClientMessage, type TopicsServerMessage } from './topics.ts';

const topicName = v.pipe(v.string(), v.regex(TOPIC_NAME));
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\x21-\x7e]+$/));

/** Nesting a deck's value may have; deeper (up to the frame's 16 KiB) would only cost the server stack. */
const MAX_DEPTH = 16;

function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return false;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.every((item) => isJsonValue(item, depth + 1));
}

/**
 * Any JSON value up to MAX_DEPTH deep, checked by hand rather than by a recursive schema, whose
 * recursion a hostile 16 KiB of brackets could drive deep. The size limit is the handler's (so
 * the refusal says "too large", not "bad message").
 */
const json = v.custom<TopicData>((value) => isJsonValue(value, 0), `a JSON value at most ${MAX_DEPTH} levels deep`);

const value = {
  data: json,
  from: v.picklist(['presenter', 'audience'] as const),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
};

export const topicsClientSchemas = {
  publish: v.object({ type: v.literal('publish'), topic: topicName, data: json, id: v.optional(id) }),
} satisfies { [K in TopicsClientMessage['type']]: v.GenericSchema<unknown, Extract<TopicsClientMessage, { type: K }>> };

export const topicsServerSchemas = {
  topic: v.strictObject({ type: v.literal('topic'), topic: topicName, ...value }),
  topics: v.strictObject({ type: v.literal('topics'), topics: v.record(topicName, v.strictObject(value)) }),
  published: v.strictObject({ type: v.literal('published'), id }),
} satisfies { [K in TopicsServerMessage['type']]: v.GenericSchema<unknown, Extract<TopicsServerMessage, { type: K }>> };
