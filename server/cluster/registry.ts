/**
 * Which talks a Redis holds, so that `livedeck serve --redis URL` nodes can host a talk that
 * another node registered (design study §2.12). The record says who may present (key hashes,
 * never raw keys) and which deck (its hash over the bundle manifest, server/cluster/deck-bundle.ts).
 *
 * Keys: `ld:{T}:talk` (HASH, the record) and `ld:talks` (SET of codes). `ld:talks` has no hash
 * tag, so it is written by its own command after the talk's script: on Redis Cluster a script may
 * only touch keys of one slot. A code in `ld:talks` whose record is gone is skipped by listTalks.
 */
import type { RedisClient } from './redis.ts';

export const TALKS_KEY = 'ld:talks';

export const talkKey = (code: string): string => `ld:{${code}}:talk`;

/** What Redis keeps about a talk. Hashes are lowercase hex SHA-256. */
export interface ClusterTalkRecord {
  code: string;
  presenterKeyHash: string;
  moderatorKeyHash: string;
  deckTitle: string;
  deckHash: string;
  /** Total bytes of the deck's files; whether they are bundled in Redis or only named by the manifest. */
  bundleBytes: number;
  bundled: boolean;
  /** Epoch ms when the talk was first registered. */
  created: number;
}

/** Refused: the code is taken by a talk with other keys or another deck. */
export class TalkConflict extends Error {
  constructor(
    readonly code: string,
    readonly differs: 'keys' | 'deck',
  ) {
    super(
      differs === 'keys'
        ? `Talk ${code} is already registered in Redis with other presenter or moderator keys; pass --replace to take it over, or use another code.`
        : `Talk ${code} is already registered in Redis with another deck; pass --replace to register this deck instead, or use another code.`,
    );
  }
}

/** A record in Redis that this version cannot read (written by hand or by another program). */
export class TalkRecordInvalid extends Error {}

export type Registration = 'created' | 'unchanged' | 'replaced';

export interface RegisterOptions {
  /** Overwrite a record with other keys or another deck (the talk's log is left alone). */
  replace?: boolean;
}

/**
 * Writes the record only if absent, or over it when told to replace. The same talk registering
 * again (same key hashes, same deck) refreshes the descriptive fields and keeps `created`. All in
 * one atomic step, so two nodes registering at once cannot both believe they created the talk.
 * KEYS: talk. ARGV: replace ('1'/'0'), code, presenterKeyHash, moderatorKeyHash, deckTitle,
 * deckHash, bundleBytes, bundled, created.
 */
const REGISTER = `
local exists = redis.call('EXISTS', KEYS[1]) == 1
if exists and ARGV[1] ~= '1' then
  local cur = redis.call('HMGET', KEYS[1], 'presenterKeyHash', 'moderatorKeyHash', 'deckHash')
  if cur[1] ~= ARGV[3] or cur[2] ~= ARGV[4] then return 'keys' end
  if cur[3] ~= ARGV[6] then return 'deck' end
  redis.call('HSET', KEYS[1], 'deckTitle', ARGV[5], 'bundleBytes', ARGV[7], 'bundled', ARGV[8])
  return 'unchanged'
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'code', ARGV[2], 'presenterKeyHash', ARGV[3], 'moderatorKeyHash', ARGV[4], 'deckTitle', ARGV[5],
  'deckHash', ARGV[6], 'bundleBytes', ARGV[7], 'bundled', ARGV[8], 'created', ARGV[9])
if exists then return 'replaced' end
return 'created'
`;

const HEX64 = /^[0-9a-f]{64}$/;

function checkRecord(record: ClusterTalkRecord): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(record.code)) throw new TalkRecordInvalid(`Talk code "${record.code}" must be 1 to 64 letters, digits, - or _`);
  for (const [name, value] of [['presenterKeyHash', record.presenterKeyHash], ['moderatorKeyHash', record.moderatorKeyHash], ['deckHash', record.deckHash]] as const) {
    if (!HEX64.test(value)) throw new TalkRecordInvalid(`${name} of talk ${record.code} must be 64 lowercase hex digits`);
  }
}

/**
 * Registers the talk. Same keys and same deck as the stored record: `unchanged` (a presenter's
 * node restarting; title and bundle size refreshed, `created` kept). Other keys or deck:
 * TalkConflict unless `replace`, and nothing is written.
 */
export async function registerTalk(redis: RedisClient, record: ClusterTalkRecord, options: RegisterOptions = {}): Promise<Registration> {
  checkRecord(record);
  const result = (await redis.eval(
    REGISTER,
    1,
    talkKey(record.code),
    options.replace ? '1' : '0',
    record.code,
    record.presenterKeyHash,
    record.moderatorKeyHash,
    record.deckTitle,
    record.deckHash,
    String(record.bundleBytes),
    record.bundled ? '1' : '0',
    String(record.created),
  )) as Registration | 'keys' | 'deck';
  if (result === 'keys' || result === 'deck') throw new TalkConflict(record.code, result);
  // Also on 'unchanged': after a Redis restored from an older AOF the set may lack the code.
  await redis.sadd(TALKS_KEY, record.code);
  return result;
}

/** Parses a stored record at the edge: a field missing or malformed is an error naming it. */
function parseRecord(code: string, hash: Record<string, string>): ClusterTalkRecord {
  const text = (name: string): string => {
    const value = hash[name];
    if (value === undefined) throw new TalkRecordInvalid(`Talk ${code} in Redis has no "${name}"`);
    return value;
  };
  const count = (name: string): number => {
    const value = Number(text(name));
    if (!Number.isSafeInteger(value) || value < 0) throw new TalkRecordInvalid(`Talk ${code} in Redis has a bad "${name}": ${hash[name]}`);
    return value;
  };
  const record: ClusterTalkRecord = {
    code: text('code'),
    presenterKeyHash: text('presenterKeyHash'),
    moderatorKeyHash: text('moderatorKeyHash'),
    deckTitle: text('deckTitle'),
    deckHash: text('deckHash'),
    bundleBytes: count('bundleBytes'),
    bundled: text('bundled') === '1',
    created: count('created'),
  };
  if (record.code !== code) throw new TalkRecordInvalid(`Talk ${code} in Redis names itself ${record.code}`);
  checkRecord(record);
  return record;
}

/** The record, or null when no talk has that code. */
export async function readTalk(redis: RedisClient, code: string): Promise<ClusterTalkRecord | null> {
  const hash = await redis.hgetall(talkKey(code));
  if (Object.keys(hash).length === 0) return null;
  return parseRecord(code, hash);
}

/** Every registered talk whose record is present, sorted by code. */
export async function listTalks(redis: RedisClient): Promise<ClusterTalkRecord[]> {
  const codes = (await redis.smembers(TALKS_KEY)).sort();
  const records = await Promise.all(codes.map((code) => readTalk(redis, code)));
  return records.filter((r): r is ClusterTalkRecord => r !== null);
}

/** Why `livedeck serve` cannot pick a talk by itself. */
export class TalkChoiceError extends Error {}

/**
 * The talk a `livedeck serve` node hosts: the one it was told (`--talk CODE`), else the only one
 * registered. None, an unknown code, or several without `--talk`: a TalkChoiceError saying what to do.
 */
export async function chooseTalk(redis: RedisClient, given?: string): Promise<ClusterTalkRecord> {
  if (given !== undefined) {
    const record = await readTalk(redis, given);
    if (!record) throw new TalkChoiceError(`No talk ${given} is registered in Redis; start it first with: livedeck <deck> --redis <url>`);
    return record;
  }
  const talks = await listTalks(redis);
  const [only] = talks;
  if (talks.length === 1 && only) return only;
  if (talks.length === 0) throw new TalkChoiceError('No talk is registered in Redis yet; start one first with: livedeck <deck> --redis <url>');
  throw new TalkChoiceError(`Several talks are registered in Redis (${talks.map((t) => t.code).join(', ')}); pass --talk CODE`);
}
