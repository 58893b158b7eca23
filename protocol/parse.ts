/**
 * The edge: turns an untrusted frame into a typed ClientMessage or a clear error.
 * Nothing past this file ever sees unvalidated input.
 */
import * as v from 'valibot';
import {
  ERROR_CODES,
  MAX_FRAME_BYTES,
  type ClientMessage,
  type ClientMessageType,
  type DeckState,
  type ErrorCode,
} from './messages.ts';
import { pollSchemas } from './polls-parse.ts';
import { qaSchemas } from './qa-schemas.ts';

/** Indices are small non-negative integers; the server checks them against the deck. */
const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));

export const deckStateSchema = v.strictObject({
  indexh: index,
  indexv: index,
  indexf: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(10_000)),
  paused: v.boolean(),
  overview: v.boolean(),
}) satisfies v.GenericSchema<unknown, DeckState>;

/** Opaque ids and keys: printable ASCII, bounded. */
const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[\x21-\x7e]+$/));

const schemas = {
  hello: v.object({
    type: v.literal('hello'),
    v: v.pipe(v.number(), v.integer()),
    role: v.picklist(['audience', 'screen', 'presenter', 'moderator']),
    talk: token(64),
    key: v.optional(token(128)),
    participant: v.optional(token(64)),
    lastSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER))),
  }),
  goto: v.object({ type: v.literal('goto'), state: deckStateSchema }),
  ping: v.object({ type: v.literal('ping'), t: v.pipe(v.number(), v.finite()) }),
  ...pollSchemas,
  ...qaSchemas,
} satisfies { [K in ClientMessageType]: v.GenericSchema<unknown, Extract<ClientMessage, { type: K }>> };

export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; ref?: string };

function fail(code: ErrorCode, detail?: string, ref?: string): ParseResult {
  const message = detail ? `${ERROR_CODES[code]} ${detail}` : ERROR_CODES[code];
  return ref === undefined ? { ok: false, code, message } : { ok: false, code, message, ref };
}

function isKnownType(t: unknown): t is ClientMessageType {
  return typeof t === 'string' && Object.hasOwn(schemas, t);
}

/** Parses one text frame. Never throws. */
export function parseClientMessage(raw: string): ParseResult {
  if (raw.length > MAX_FRAME_BYTES) return fail('too_large');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return fail('bad_json');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('bad_message', 'Expected a JSON object.');
  }
  const type = (data as { type?: unknown }).type;
  if (!isKnownType(type)) {
    return fail('unknown_type', typeof type === 'string' ? `Got "${type.slice(0, 40)}".` : 'Missing "type".');
  }
  const result = v.safeParse(schemas[type], data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    return fail('bad_message', `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`, type);
  }
  return { ok: true, message: result.output as ClientMessage };
}
