/**
 * Redis key names of one talk (design study §2.3). Every key carries the hash tag `{T}`, so a
 * multi-key script stays valid on Redis Cluster: a talk lives in one slot.
 */
export interface TalkKeys {
  /** HASH: e epoch, s last seq, st live/restoring, pe/ps lineage, g restore generation. */
  meta: string;
  /** STREAM: id `<seq>-0`, fields e (event JSON), at (Redis TIME ms), g (gate JSON, when any). */
  log: string;
  /** HASH: idempotency field (see `idempotencyField`) → seq. */
  keys: string;
  /** ZSET: node id → applied seq of each node that noticed the talk was lost. */
  restore: string;
  /** STRING: the restorer's lock, `SET NX PX`. */
  lock: string;
  /** Pub/sub channel of committed events and restore resets. */
  channel: string;
  /** HASH of one commit-gate map (`CommitGate` names it). */
  map(name: string): string;
}

export function talkKeys(talk: string): TalkKeys {
  const p = `ld:{${talk}}:`;
  return {
    meta: `${p}meta`,
    log: `${p}log`,
    keys: `${p}keys`,
    restore: `${p}restore`,
    lock: `${p}lock`,
    channel: `${p}ev`,
    map: (name) => `${p}m:${name}`,
  };
}

/** The `keys` HASH field: participant (or '@' for staff and server) and key, or '' when the write has no key. */
export function idempotencyField(participant: string | null, key: string | null): string {
  return key === null ? '' : `${participant ?? '@'}\n${key}`;
}
