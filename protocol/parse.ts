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
  type HelloMessage,
  type Role,
} from './messages.ts';
import { pollSchemas } from './polls-parse.ts';
import { qaSchemas } from './qa-schemas.ts';
import { liveClientSchemas } from './live-schemas.ts';

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
const TOKEN = /^[\x21-\x7e]+$/;
const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(TOKEN));

const ROLES = ['audience', 'screen', 'presenter', 'moderator'] as const satisfies readonly Role[];

const schemas = {
  hello: v.object({
    type: v.literal('hello'),
    v: v.pipe(v.number(), v.integer()),
    role: v.picklist(ROLES),
    talk: token(64),
    key: v.optional(token(128)),
    participant: v.optional(token(64)),
    lastSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER))),
  }),
  goto: v.object({ type: v.literal('goto'), state: deckStateSchema }),
  ping: v.object({ type: v.literal('ping'), t: v.pipe(v.number(), v.finite()) }),
  ...pollSchemas,
  ...qaSchemas,
  ...liveClientSchemas,
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

const isToken = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max && TOKEN.test(value);

/**
 * The hello schema written out by hand, for the one message every phone sends (10 000 of them
 * when a keynote room joins at once; the schema costs several times more). It accepts exactly
 * what the schema accepts and returns what it returns (parse.test.ts holds the two to that);
 * anything it does not accept goes through the schema, which words the error.
 */
function quickHello(data: Record<string, unknown>): HelloMessage | null {
  const { v: version, role, talk, key, participant, lastSeq } = data;
  if (!Number.isInteger(version) || !ROLES.includes(role as Role) || !isToken(talk, 64)) return null;
  if ((key !== undefined && !isToken(key, 128)) || (participant !== undefined && !isToken(participant, 64))) return null;
  if (lastSeq !== undefined && !(Number.isInteger(lastSeq) && (lastSeq as number) >= 0 && (lastSeq as number) <= Number.MAX_SAFE_INTEGER)) return null;
  const hello: HelloMessage = { type: 'hello', v: version as number, role: role as Role, talk };
  if (key !== undefined) hello.key = key;
  if (participant !== undefined) hello.participant = participant;
  if (lastSeq !== undefined) hello.lastSeq = lastSeq as number;
  return hello;
}

/** Checks a decoded message against its schema: the reference the hello fast path is tested against. */
export function checkMessage(type: ClientMessageType, data: unknown): ParseResult {
  const result = v.safeParse(schemas[type], data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    return fail('bad_message', `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`, type);
  }
  return { ok: true, message: result.output as ClientMessage };
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
  if (type === 'hello') {
    const hello = quickHello(data as Record<string, unknown>);
    if (hello) return { ok: true, message: hello };
  }
  return checkMessage(type, data);
}
