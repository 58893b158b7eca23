import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { MemoryStore } from '../store/memory.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import { LogUnavailable } from '../talk/log.ts';
import { ClusterLog } from './cluster-log.ts';

const skip = redisMissing() ?? false;

interface Node {
  log: ClusterLog;
  seen: StoredEvent[];
}

async function node(url: string, talk: string, id: string, mirror: Store = new MemoryStore()): Promise<Node> {
  const log = await ClusterLog.open({ url, talk, node: id, mirror, positionCheckMs: 200, restoreWaitMs: 300 });
  const seen: StoredEvent[] = [];
  await log.start((event) => seen.push(event));
  return { log, seen };
}

const shape = (events: StoredEvent[]) => events.map((e) => [e.seq, e.kind, JSON.stringify(e.data), e.participant, e.key]);
const seqs = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Commits, sending again while the log answers "unavailable", as a phone's outbox does. */
async function commitRetrying(n: Node, key: string, data: unknown) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await n.log.commit({ kind: 'chat', data, participant: 'p', key });
    } catch (err) {
      if (!(err instanceof LogUnavailable) || attempt > 200) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function write(n: Node, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await commitRetrying(n, `${prefix}${i}`, { prefix, i });
}

describe('ClusterLog when Redis fails', { skip }, () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const startRedis = async (aof: false | 'always') => {
    const redis = await RedisProcess.start({ aof });
    cleanup.push(() => redis.dispose());
    return redis;
  };
  const started = async (url: string, talk: string, id: string, mirror?: Store) => {
    const n = await node(url, talk, id, mirror);
    cleanup.push(() => n.log.close());
    return n;
  };

  it('answers writes "unavailable" at once while Redis is paused, reports it unreachable, and carries on after', async () => {
    const redis = await startRedis(false);
    const [a, b] = [await started(redis.url, 'P', 'a'), await started(redis.url, 'P', 'b')];
    await write(a, 'before', 3);
    redis.pause();
    const began = Date.now();
    await assert.rejects(a.log.commit({ kind: 'chat', data: 'x', participant: 'p', key: 'paused' }), LogUnavailable);
    const tookMs = Date.now() - began;
    console.log(`# commit answered unavailable after ${tookMs} ms with Redis paused`);
    assert.ok(tookMs < 4_000, `rejected without hanging (${tookMs} ms)`);
    await until('health says unreachable', () => !b.log.health().reachable);
    assert.equal(a.log.health().reachable, false);
    redis.resume();
    await commitRetrying(a, 'paused', 'x');
    await write(b, 'after', 3);
    await until('both caught up', () => a.log.applied === 7 && b.log.applied === 7);
    assert.deepEqual(a.seen.map((e) => e.seq), seqs(7));
    assert.deepEqual(shape(b.seen), shape(a.seen));
    await until('health says reachable', () => a.log.health().reachable && b.log.health().reachable);
    assert.equal(a.log.health().lagMs, 0);
  });

  it('keeps the epoch and every event when Redis restarts with its AOF', async () => {
    const redis = await startRedis('always');
    const [a, b] = [await started(redis.url, 'A', 'a'), await started(redis.url, 'A', 'b')];
    await write(a, 'x', 10);
    const epoch = a.log.epoch;
    await redis.stop();
    await redis.launch();
    await write(b, 'y', 10);
    await until('both at 20', () => a.log.applied === 20 && b.log.applied === 20);
    assert.equal(a.log.epoch, epoch);
    assert.equal(b.log.epoch, epoch);
    assert.deepEqual(a.seen.map((e) => e.seq), seqs(20));
    assert.deepEqual(shape(b.seen), shape(a.seen));
  });

  it('restores a talk Redis lost from one node mirror: new epoch, same seqs, one restorer, a lineage', async () => {
    const redis = await startRedis(false);
    const nodes = [await started(redis.url, 'R', 'a'), await started(redis.url, 'R', 'b'), await started(redis.url, 'R', 'c')];
    await Promise.all(nodes.map((n, i) => write(n, `n${i}-`, 10)));
    await until('all at 30', () => nodes.every((n) => n.log.applied === 30));
    const before = shape(nodes[0]!.seen);
    const oldEpoch = nodes[0]!.log.epoch;
    await redis.kill();
    await redis.launch();
    await until('every node on one new epoch', () => nodes.every((n) => n.log.epoch !== oldEpoch && n.log.epoch === nodes[0]!.log.epoch));
    assert.equal(nodes.reduce((sum, n) => sum + n.log.restores, 0), 1, 'exactly one node restored');
    const after = await started(redis.url, 'R', 'fresh');
    assert.deepEqual(shape(after.seen), before, 'a node that starts now reads the restored log from Redis');
    for (const n of nodes) {
      assert.equal(n.log.vouchesFor(oldEpoch, 30), true);
      assert.equal(n.log.vouchesFor(oldEpoch, 31), false);
      assert.equal(n.log.vouchesFor('elsewhere', 1), false);
      assert.equal(n.log.vouchesFor(n.log.epoch, 31), true);
    }
    const resent = await commitRetrying(nodes[1]!, 'n0-3', null);
    const original = nodes[0]!.seen.find((e) => e.key === 'n0-3')!;
    assert.deepEqual(resent, { seq: original.seq, duplicate: true }, 'idempotency keys came back too');
    await commitRetrying(nodes[2]!, 'later', 'new');
    await until('all at 31', () => [...nodes, after].every((n) => n.log.applied === 31));
    for (const n of [...nodes, after]) assert.deepEqual(shape(n.seen), shape(after.seen));
  });

  it('refuses to number on from a Redis that came back without its last writes, and restores them first', async () => {
    const redis = await startRedis(false);
    const a = await started(redis.url, 'B', 'a');
    await write(a, 'k', 5);
    // Redis "comes back" at seq 3 under the same epoch, as from an RDB snapshot or a failover:
    // events 4 and 5 and their keys are gone from Redis but this node applied (and acked) them.
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    cleanup.push(() => void raw.disconnect());
    await raw.hset('ld:{B}:meta', 's', '3');
    await raw.xdel('ld:{B}:log', '4-0', '5-0');
    await raw.hdel('ld:{B}:keys', 'p\nk3', 'p\nk4');
    const epoch = a.log.epoch;
    // Before the fix this was acknowledged as seq 4 and never applied here: a lost write.
    const resent = await commitRetrying(a, 'new', 'after the rollback');
    assert.equal(resent.duplicate, false);
    assert.equal(resent.seq, 6, 'the new write comes after the 5 events the node had');
    await until('applied through 6', () => a.log.applied === 6);
    assert.notEqual(a.log.epoch, epoch, 'restored under a new epoch');
    assert.deepEqual(a.seen.map((e) => e.key), ['k0', 'k1', 'k2', 'k3', 'k4', 'new']);
    const fresh = await started(redis.url, 'B', 'fresh');
    assert.deepEqual(shape(fresh.seen), shape(a.seen), 'Redis holds the node\'s five events again, then the new one');
  });

  it('starts again from its own mirror plus the tail it missed', async () => {
    const redis = await startRedis(false);
    const dir = mkdtempSync(join(tmpdir(), 'livedeck-mirror-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const firstStore = new SqliteStore(dir);
    const a = await node(redis.url, 'M', 'a', firstStore);
    const b = await started(redis.url, 'M', 'b');
    await write(a, 'x', 10);
    await a.log.close();
    firstStore.close();
    await write(b, 'y', 5);
    const store = new SqliteStore(dir);
    cleanup.push(() => store.close());
    const again = await started(redis.url, 'M', 'a', store);
    assert.deepEqual(again.log.bootstrap, { fromMirror: 10, fromRedis: 5 });
    assert.equal(again.log.epoch, b.log.epoch);
    assert.deepEqual(shape(again.seen), shape(b.seen));
    assert.deepEqual(shape(again.log.events(0)), shape(b.seen));
  });
});
