/**
 * Restore a talk that Redis lost (restarted empty, FLUSHALL, a failover that dropped a suffix).
 *
 * Simpler than the study's §2.8 re-submission, and sound because every node applies the same
 * prefix of one log: each node that notices puts its applied seq in a ZSET, waits, and the node
 * with the highest (ties: smallest id) writes its mirror back under the original seqs, keys and
 * gates. The others then hold a prefix of what was restored and keep their state. Every write is
 * one script; a begin condition and an (epoch, generation) fence on each batch keep two
 * restorers from mixing, whatever the lock does.
 */
import { randomInt } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { gateWrites } from './gate.ts';
import { idempotencyField, type TalkKeys } from './keys.ts';
import type { ScriptClient } from './scripts.ts';
import { eventJson } from './wire.ts';

/** Events per restore script call: bounded work per call, so Redis keeps answering others. */
const BATCH = 1_000;
/** The restorer's lock lives this long; the fence, not the lock, keeps a late restorer out. */
const LOCK_MS = 10_000;

export interface RestoreContext {
  cmd: ScriptClient;
  keys: TalkKeys;
  talk: string;
  node: string;
  mirror: Store;
  waitMs: number;
  /** The epoch Redis lost (the one this node applied under). */
  lostEpoch: string;
  applied: number;
  closed(): boolean;
}

export type RestoreOutcome =
  /** This node restored: the talk now runs under `epoch`, whose seqs up to `lineageSeq` are the lost epoch's. */
  | { restored: true; epoch: string; lineageSeq: number }
  /** Another node restored (or the talk was live again): adopt what meta says. */
  | { restored: false };

/** Eight random lowercase letters: names one numbering of the talk. */
export function newEpoch(): string {
  let epoch = '';
  for (let i = 0; i < 8; i++) epoch += String.fromCharCode(97 + randomInt(26));
  return epoch;
}

export async function electAndRestore(ctx: RestoreContext): Promise<RestoreOutcome> {
  const { cmd, keys, node } = ctx;
  while (!ctx.closed()) {
    await cmd.zadd(keys.restore, ctx.applied, node);
    await cmd.pexpire(keys.restore, 60_000);
    await sleep(ctx.waitMs);
    if (await settled(ctx)) return { restored: false };
    const winner = pickWinner(await cmd.zrange(keys.restore, 0, -1, 'WITHSCORES'));
    if (winner === node && (await cmd.set(keys.lock, node, 'PX', LOCK_MS, 'NX')) === 'OK') {
      const outcome = await restoreFromMirror(ctx);
      if (outcome) return outcome;
      return { restored: false };
    }
    // Wait for the winner; if it never finishes and its lock is gone, it died: strike it and vote again.
    const until = Date.now() + LOCK_MS + ctx.waitMs;
    while (Date.now() < until && !ctx.closed()) {
      await sleep(250);
      if (await settled(ctx)) return { restored: false };
    }
    if (winner && (await cmd.exists(keys.lock)) === 0) await cmd.zrem(keys.restore, winner);
  }
  return { restored: false };
}

/** Highest applied seq wins; ties go to the smallest node id. */
export function pickWinner(withScores: string[]): string | null {
  let best: { id: string; seq: number } | null = null;
  for (let i = 0; i + 1 < withScores.length; i += 2) {
    const id = withScores[i]!;
    const seq = Number(withScores[i + 1]);
    if (!best || seq > best.seq || (seq === best.seq && id < best.id)) best = { id, seq };
  }
  return best?.id ?? null;
}

/** The talk is live again under another numbering (or was never lost after all). */
async function settled(ctx: RestoreContext): Promise<boolean> {
  const [e, s, st] = await ctx.cmd.hmget(ctx.keys.meta, 'e', 's', 'st');
  if (!e || st !== 'live') return false;
  return e !== ctx.lostEpoch || Number(s) >= ctx.applied;
}

async function restoreFromMirror(ctx: RestoreContext): Promise<RestoreOutcome | null> {
  const { cmd, keys, mirror, talk } = ctx;
  const epoch = newEpoch();
  const through = ctx.applied;
  const begin = (await cmd.ldRestoreBegin(3, keys.meta, keys.log, keys.keys, epoch, ctx.lostEpoch, through)) as [string, number | string];
  if (begin[0] !== 'OK') return null;
  const generation = String(begin[1]);
  let after = 0;
  while (after < through) {
    const events = mirror.events(talk, after, BATCH).filter((e) => e.seq <= through);
    if (!events.length) break;
    const last = events[events.length - 1]!.seq;
    const gates = mirror.gates(talk, after, last);
    const mapKeys: string[] = [];
    const args: (string | number)[] = [epoch, generation];
    for (const event of events) {
      const gate = gates.get(event.seq) ?? null;
      const writes = gateWrites(gate);
      args.push(event.seq, event.at, eventJson(event), idempotencyField(event.participant, event.key), gate ?? '', writes.length);
      for (const w of writes) {
        const key = keys.map(w.map);
        let i = mapKeys.indexOf(key);
        if (i < 0) i = mapKeys.push(key) - 1;
        args.push(4 + i, w.field, w.value);
      }
    }
    const reply = await cmd.ldRestoreBatch(3 + mapKeys.length, keys.meta, keys.log, keys.keys, ...mapKeys, ...args);
    if (reply !== 'OK') return null;
    after = last;
  }
  if ((await cmd.ldRestoreEnd(3, keys.meta, keys.restore, keys.lock, epoch, generation, keys.channel)) !== 'OK') return null;
  return { restored: true, epoch, lineageSeq: through };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
