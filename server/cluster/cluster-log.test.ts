import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { MemoryStore } from '../store/memory.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import { LogRefused, LogUnavailable, type CommitGate } from '../talk/log.ts';
import { ClusterLog } from './cluster-log.ts';

const skip = redisMissing() ?? false;

/** One node: a ClusterLog and everything its applier was given, in order. */
interface Node {
  log: ClusterLog;
  seen: StoredEvent[];
  mirror: Store;
}

let talkCounter = 0;
const freshTalk = () => `T${process.pid}x${++talkCounter}`;

async function node(url: string, talk: string, id: string, mirror: Store = new MemoryStore(), positionCheckMs = 200): Promise<Node> {
  const log = await ClusterLog.open({ url, talk, node: id, mirror, positionCheckMs, restoreWaitMs: 300 });
  const seen: StoredEvent[] = [];
  await log.start((event) => seen.push(event));
  return { log, seen, mirror };
}

const shape = (events: StoredEvent[]) => events.map((e) => [e.seq, e.kind, JSON.stringify(e.data)]);

async function until(what: string, ok: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Commits, retrying while the log answers "unavailable" (what a phone's outbox does). */
async function commitRetrying(n: Node, kind: string, key: string, data: unknown = null, participant: string | null = 'p') {
  for (;;) {
    try {
      return await n.log.commit({ kind, data, participant, key });
    } catch (err) {
      if (!(err instanceof LogUnavailable)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('ClusterLog', { skip }, () => {
  let redis: RedisProcess;
  const open: Node[] = [];
  const track = (n: Node) => (open.push(n), n);

  before(async () => {
    redis = await RedisProcess.start({ aof: 'always' });
  });
  after(async () => {
    for (const n of open) await n.log.close();
    await redis?.dispose();
  });

  it('applies concurrent writes from three nodes in one identical order, with no gaps', async () => {
    const talk = freshTalk();
    const nodes = [track(await node(redis.url, talk, 'a')), track(await node(redis.url, talk, 'b')), track(await node(redis.url, talk, 'c'))];
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const n = nodes[i % 3]!;
      writes.push(n.log.commit({ kind: 'chat', data: { i }, participant: `p${i % 5}`, key: `k${i}` }));
    }
    const results = (await Promise.all(writes)) as { seq: number }[];
    assert.deepEqual(results.map((r) => r.seq).sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i + 1));
    await until('every node at 60', () => nodes.every((n) => n.log.applied === 60));
    const reference = shape(nodes[0]!.seen);
    assert.deepEqual(reference.map((r) => r[0]), Array.from({ length: 60 }, (_, i) => i + 1));
    for (const n of nodes) {
      assert.deepEqual(shape(n.seen), reference);
      assert.deepEqual(shape(n.log.events(0)), reference, 'the mirror holds the same log');
    }
  });

  it('commits the same (participant, key) through three nodes once, with one seq in every result', async () => {
    const talk = freshTalk();
    const nodes = [track(await node(redis.url, talk, 'a')), track(await node(redis.url, talk, 'b')), track(await node(redis.url, talk, 'c'))];
    const results = await Promise.all(nodes.map((n) => n.log.commit({ kind: 'question.asked', data: { text: 'hi' }, participant: 'p1', key: 'q-1' })));
    assert.equal(new Set(results.map((r) => r.seq)).size, 1);
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    await until('all applied', () => nodes.every((n) => n.log.applied === results[0]!.seq));
    for (const n of nodes) assert.equal(n.seen.filter((e) => e.kind === 'question.asked').length, 1);
  });

  it('appends one event for two simultaneous upvotes by one participant through two nodes (unique gate)', async () => {
    const talk = freshTalk();
    const [a, b] = [track(await node(redis.url, talk, 'a')), track(await node(redis.url, talk, 'b'))];
    const gate: CommitGate = { unique: { map: 'up:q1', field: 'p1', value: '1' } };
    const results = await Promise.all([
      a.log.commit({ kind: 'question.upvoted', data: { q: 1 }, participant: 'p1', key: 'u-a' }, gate),
      b.log.commit({ kind: 'question.upvoted', data: { q: 1 }, participant: 'p1', key: 'u-b' }, gate),
    ]);
    assert.deepEqual(results.map((r) => r.duplicate).sort(), [false, true]);
    await until('both applied', () => a.log.applied === 1 && b.log.applied === 1);
    assert.equal(a.seen.length, 1);
    assert.equal(b.seen.length, 1);
  });

  it('refuses a write whose requires-gate does not hold, on every node, and appends nothing', async () => {
    const talk = freshTalk();
    const [a, b] = [track(await node(redis.url, talk, 'a')), track(await node(redis.url, talk, 'b'))];
    await a.log.commit({ kind: 'poll.opened', data: { poll: 'x' }, participant: null, key: 'open-x' }, { sets: { map: 'polls', field: 'x', value: 'open' } });
    await b.log.commit({ kind: 'poll.closed', data: { poll: 'x' }, participant: null, key: 'close-x' }, { sets: { map: 'polls', field: 'x', value: 'closed' } });
    const ballot: CommitGate = { requires: { map: 'polls', field: 'x', equals: 'open', code: 'poll_closed' } };
    for (const n of [a, b]) {
      await assert.rejects(n.log.commit({ kind: 'poll.voted', data: { choice: 1 }, participant: 'p', key: `v-${n === a ? 'a' : 'b'}` }, ballot), (err: unknown) => {
        assert.ok(err instanceof LogRefused);
        assert.equal(err.code, 'poll_closed');
        return true;
      });
    }
    await until('both at 2', () => a.log.applied === 2 && b.log.applied === 2);
    assert.equal(a.seen.length, 2);
  });

  it('fills the gap in order when its subscriber connection is killed while another node writes', async () => {
    const talk = freshTalk();
    const [a, b] = [track(await node(redis.url, talk, 'a', new MemoryStore(), 5_000)), track(await node(redis.url, talk, 'b', new MemoryStore(), 5_000))];
    const admin = new Redis(redis.url);
    try {
      const writing = (async () => {
        for (let i = 0; i < 80; i++) await a.log.commit({ kind: 'chat', data: { i }, participant: 'p', key: `g${i}` });
      })();
      await until('some writes', () => b.log.applied >= 10);
      await admin.client('KILL', 'TYPE', 'pubsub');
      await writing;
    } finally {
      admin.disconnect();
    }
    await until('b caught up', () => b.log.applied === 80);
    assert.deepEqual(b.seen.map((e) => e.seq), Array.from({ length: 80 }, (_, i) => i + 1));
    assert.deepEqual(shape(b.seen), shape(a.seen));
  });

  it('notices a silent subscription with its position check and catches up', async () => {
    const talk = freshTalk();
    const [a, b] = [track(await node(redis.url, talk, 'a')), track(await node(redis.url, talk, 'b'))];
    {
      // Deaf to its subscription while the connection stays up: silent, as in centrifugo#1189.
      (b.log as unknown as { sub: Redis }).sub.removeAllListeners('message');
      await b.log.commit({ kind: 'x', data: 0, participant: null, key: 'warm' });
      for (let i = 0; i < 5; i++) await a.log.commit({ kind: 'chat', data: { i }, participant: 'p', key: `s${i}` });
    }
    await until('b caught up by the position check', () => b.log.applied === 6);
    assert.deepEqual(shape(b.seen), shape(a.seen));
  });
});
