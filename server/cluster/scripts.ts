/**
 * The Lua scripts that make every change to a talk's Redis state one atomic step (design study
 * §2.4, §2.8). Registered with ioredis `defineCommand`, which sends EVALSHA and falls back to EVAL
 * on NOSCRIPT (a restarted Redis has lost its script cache). Key layout in keys.ts.
 */
import type { RedisClient } from './redis.ts';

/**
 * Commit one event. KEYS: meta, log, keys, then the gate's map keys. ARGV: 1 epoch the node
 * believes in, 2 idempotency field ('' none), 3 event JSON, 4 gate JSON ('' none), 5 channel,
 * 6..9 requires (key index or 0, field, equals, code), 10..12 unique (key index or 0, field,
 * value), 13..15 sets (key index or 0, field, value), 16 the seq the node has applied.
 * Replies: {'OK', epoch, seq, at} | {'DUP', epoch, seq} | {'NOOP', epoch, seq} |
 * {'REFUSED', code} | {'EPOCH', epoch, s} | {'BEHIND', epoch, s} | {'RESTORING', epoch} | {'NOTALK'}.
 * BEHIND: Redis's seq is below what this node applied, so Redis came back without its last
 * writes (an RDB snapshot, a failover): numbering on from there would give new writes seqs the
 * nodes already hold. The node restores instead (restore.ts) and the write is retried.
 */
const APPEND = `
local m = redis.call('HMGET', KEYS[1], 'e', 's', 'st')
if not m[1] then return {'NOTALK'} end
if m[3] == 'restoring' then return {'RESTORING', m[1]} end
if ARGV[1] ~= m[1] then return {'EPOCH', m[1], m[2]} end
if tonumber(m[2]) < tonumber(ARGV[16]) then return {'BEHIND', m[1], m[2]} end
if ARGV[2] ~= '' then
  local seen = redis.call('HGET', KEYS[3], ARGV[2])
  if seen then return {'DUP', m[1], seen} end
end
local ri = tonumber(ARGV[6])
if ri > 0 and redis.call('HGET', KEYS[ri], ARGV[7]) ~= ARGV[8] then return {'REFUSED', ARGV[9]} end
local ui = tonumber(ARGV[10])
if ui > 0 then
  if redis.call('HGET', KEYS[ui], ARGV[11]) == ARGV[12] then
    if ARGV[2] ~= '' then redis.call('HSET', KEYS[3], ARGV[2], m[2]) end
    return {'NOOP', m[1], m[2]}
  end
  redis.call('HSET', KEYS[ui], ARGV[11], ARGV[12])
end
local si = tonumber(ARGV[13])
if si > 0 then redis.call('HSET', KEYS[si], ARGV[14], ARGV[15]) end
local seq = redis.call('HINCRBY', KEYS[1], 's', 1)
local t = redis.call('TIME')
local at = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[2], seq .. '-0', 'e', ARGV[3], 'at', at, 'g', ARGV[4])
else
  redis.call('XADD', KEYS[2], seq .. '-0', 'e', ARGV[3], 'at', at)
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[3], ARGV[2], seq) end
local payload = m[1] .. ':' .. seq .. ':' .. at .. ':' .. ARGV[3]
if ARGV[4] ~= '' then payload = payload .. '\\n' .. ARGV[4] end
redis.call('PUBLISH', ARGV[5], payload)
return {'OK', m[1], seq, at}
`;

/** Create the talk's meta with a fresh epoch unless it exists. KEYS: meta. ARGV: epoch. Reply: {e, s, st}. */
const CREATE = `
if redis.call('HEXISTS', KEYS[1], 'e') == 0 then
  redis.call('HSET', KEYS[1], 'e', ARGV[1], 's', 0, 'st', 'live', 'g', 0)
end
return redis.call('HMGET', KEYS[1], 'e', 's', 'st')
`;

/**
 * Begin a restore. KEYS: meta, log, keys. ARGV: new epoch, lost epoch, S (the restorer's applied).
 * Only if meta is absent, or still the lost epoch with s < S (a failover lost a suffix).
 * Reply: {'OK', g} | {'LIVE', e}.
 */
const RESTORE_BEGIN = `
local m = redis.call('HMGET', KEYS[1], 'e', 's', 'st', 'g')
if m[1] then
  if m[1] ~= ARGV[2] or m[3] == 'restoring' or tonumber(m[2]) >= tonumber(ARGV[3]) then return {'LIVE', m[1]} end
  redis.call('DEL', KEYS[2], KEYS[3])
end
local g = (tonumber(m[4]) or 0) + 1
redis.call('HSET', KEYS[1], 'e', ARGV[1], 's', ARGV[3], 'st', 'restoring', 'pe', ARGV[2], 'ps', ARGV[3], 'g', g)
return {'OK', g}
`;

/**
 * One batch of restored events, fenced by (epoch, g): a restorer that stalled past its lock can
 * never write into a newer restore. KEYS: meta, log, keys, then gate map keys. ARGV: epoch, g, then
 * per event: seq, at, event JSON, idempotency field, gate JSON, n, then n × (key index, field, value).
 */
const RESTORE_BATCH = `
local m = redis.call('HMGET', KEYS[1], 'e', 'g', 'st')
if m[1] ~= ARGV[1] or m[2] ~= ARGV[2] or m[3] ~= 'restoring' then return 'FENCED' end
local i = 3
while i <= #ARGV do
  local id = ARGV[i] .. '-0'
  if ARGV[i + 4] ~= '' then
    redis.call('XADD', KEYS[2], id, 'e', ARGV[i + 2], 'at', ARGV[i + 1], 'g', ARGV[i + 4])
  else
    redis.call('XADD', KEYS[2], id, 'e', ARGV[i + 2], 'at', ARGV[i + 1])
  end
  if ARGV[i + 3] ~= '' then redis.call('HSET', KEYS[3], ARGV[i + 3], ARGV[i]) end
  local n = tonumber(ARGV[i + 5])
  i = i + 6
  for _ = 1, n do
    redis.call('HSET', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  end
end
return 'OK'
`;

/** Finish a restore: live again, tell every node. KEYS: meta, restore, lock. ARGV: epoch, g, channel. */
const RESTORE_END = `
local m = redis.call('HMGET', KEYS[1], 'e', 'g', 's')
if m[1] ~= ARGV[1] or m[2] ~= ARGV[2] then return 'FENCED' end
redis.call('HSET', KEYS[1], 'st', 'live')
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('PUBLISH', ARGV[3], ARGV[1] .. ':reset:' .. m[3])
return 'OK'
`;

type Arg = string | number;
type Reply = Promise<unknown>;

/** The command connection with the scripts defined; each takes numkeys first, then keys, then args. */
export interface ScriptClient extends RedisClient {
  ldAppend(numKeys: number, ...args: Arg[]): Reply;
  ldCreate(numKeys: number, ...args: Arg[]): Reply;
  ldRestoreBegin(numKeys: number, ...args: Arg[]): Reply;
  ldRestoreBatch(numKeys: number, ...args: Arg[]): Reply;
  ldRestoreEnd(numKeys: number, ...args: Arg[]): Reply;
}

export function defineScripts(client: RedisClient): ScriptClient {
  client.defineCommand('ldAppend', { lua: APPEND });
  client.defineCommand('ldCreate', { lua: CREATE });
  client.defineCommand('ldRestoreBegin', { lua: RESTORE_BEGIN });
  client.defineCommand('ldRestoreBatch', { lua: RESTORE_BATCH });
  client.defineCommand('ldRestoreEnd', { lua: RESTORE_END });
  return client as ScriptClient;
}
