/**
 * The edge: turns an untrusted frame into a typed ClientMessage or a clear error.
 * Nothing past this file ever sees unvalidated input.
 */
import * as v from 'valibot';
import { clientSchemas } from './contract.ts';
import { EPOCH_MAX_LENGTH } from './cluster.ts';
import { HELLO_LIMITS, ROLES, TOKEN } from './core-schemas.ts';
import { ERROR_CODES, type ClientMessage, type ClientMessageType, type ErrorCode, type HelloMessage, type Role } from './messages.ts';

export { deckStateSchema } from './core-schemas.ts';

/** Every client message's schema, from the contract (protocol/contract.ts). */
const schemas = clientSchemas satisfies { [K in ClientMessageType]: v.GenericSchema<unknown, Extract<ClientMessage, { type: K }>> };

export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; ref?: string; key?: string };

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
  const { v: version, role, talk, key, participant, lastSeq, epoch } = data;
  if (!Number.isInteger(version) || !ROLES.includes(role as Role) || !isToken(talk, HELLO_LIMITS.talk)) return null;
  if ((key !== undefined && !isToken(key, HELLO_LIMITS.key)) || (participant !== undefined && !isToken(participant, HELLO_LIMITS.participant))) return null;
  if (lastSeq !== undefined && !(Number.isInteger(lastSeq) && (lastSeq as number) >= 0 && (lastSeq as number) <= Number.MAX_SAFE_INTEGER)) return null;
  if (epoch !== undefined && !isToken(epoch, EPOCH_MAX_LENGTH)) return null;
  const hello: HelloMessage = { type: 'hello', v: version as number, role: role as Role, talk };
  if (key !== undefined) hello.key = key;
  if (participant !== undefined) hello.participant = participant;
  if (lastSeq !== undefined) hello.lastSeq = lastSeq as number;
  // Without its epoch a cluster node cannot vouch for lastSeq, and every resume became a full welcome.
  if (epoch !== undefined) hello.epoch = epoch;
  return hello;
}

/** Checks a decoded message against its schema: the reference the hello fast path is tested against. */
export function checkMessage(type: ClientMessageType, data: unknown): ParseResult {
  const result = v.safeParse(schemas[type], data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    const refused = fail('bad_message', `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`, type);
    // A refused write names its idempotency key, as every refusal of a write does, so a client's
    // outbox drops it instead of resending it on every reconnect. The key is echoed as sent
    // (it may be the field that failed); the frame limit bounds it.
    const key = (data as { key?: unknown }).key;
    if (!refused.ok && typeof key === 'string') refused.key = key;
    return refused;
  }
  return { ok: true, message: result.output as ClientMessage };
}

/**
 * Parses one text frame. Never throws. Its size is not checked here: ws refuses a frame over
 * MAX_FRAME_BYTES with close 1009 before it is read.
 */
export function parseClientMessage(raw: string): ParseResult {
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
