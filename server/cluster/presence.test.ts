import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { commandConnection, type RedisClient } from './redis.ts';
import { ClusterPresence, countsKey, emptyCounts, nodesKey, type PresenceCounts } from './presence.ts';

const skip = redisMissing() ?? false;
const counts = (over: Partial<PresenceCounts>): PresenceCounts => ({ ...emptyCounts(), ...over });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('ClusterPresence', { skip }, () => {
  let server: RedisProcess;
  const connections: RedisClient[] = [];
  const presences: ClusterPresence[] = [];
  const connect = async (name: string) => {
    const c = await commandConnection(server.url, name);
    connections.push(c);
    return c;
  };
  const node = async (code: string, name: string, local: () => PresenceCounts, redis?: RedisClient) => {
    const p = new ClusterPresence({ redis: redis ?? (await connect(name)), code, node: name, local, heartbeatMs: 100, expiryMs: 400 });
    presences.push(p);
    await p.start();
    return p;
  };

  before(async () => {
    server = await RedisProcess.start();
  });
  after(async () => {
    for (const p of presences) await p.stop();
    for (const c of connections) c.disconnect();
    await server?.dispose();
  });

  it('sums the counts of every node by role and slow mode, and tells a listener when the sum changes', async () => {
    const a = await node('SUM234', 'a', () => counts({ audience: 3, slow: 1 }));
    const seen: PresenceCounts[] = [];
    a.onChange((t) => seen.push(t));
    await node('SUM234', 'b', () => counts({ audience: 5, presenter: 1 }));
    await node('SUM234', 'c', () => counts({ screen: 1, moderator: 1 }));
    await a.beat();
    const expected = counts({ audience: 8, slow: 1, presenter: 1, screen: 1, moderator: 1 });
    assert.deepEqual(a.totals(), expected);
    assert.deepEqual(seen.at(-1), expected);
    const before = seen.length;
    await a.beat();
    assert.equal(seen.length, before, 'no call when nothing changed');
  });

  it("drops a node that stopped beating after the expiry, and a stopped node's share at once", async () => {
    const a = await node('DIE234', 'a', () => counts({ audience: 1 }));
    const doomed = await connect('doomed');
    await node('DIE234', 'dead', () => counts({ audience: 10 }), doomed);
    const b = await node('DIE234', 'b', () => counts({ audience: 100 }));
    await a.beat();
    assert.equal(a.totals().audience, 111);

    doomed.disconnect(); // the node's process is gone: no more heartbeats, no goodbye
    await until('the dead node to drop out', async () => (await a.beat(), a.totals().audience === 101));
    assert.equal(await connections[0]!.hexists(countsKey('DIE234'), 'dead'), 0, 'its entry is removed, not only ignored');
    assert.equal(await connections[0]!.zscore(nodesKey('DIE234'), 'dead'), null);

    await b.stop();
    await a.beat();
    assert.equal(a.totals().audience, 1, 'a node that stops cleanly leaves at once, before the expiry');
  });

  it("shows this node's own change at once, without waiting for the heartbeat", async () => {
    let local = counts({ audience: 2 });
    const a = await node('NOW234', 'a', () => local);
    await node('NOW234', 'b', () => counts({ audience: 40 }));
    await a.beat();
    const seen: number[] = [];
    a.onChange((t) => seen.push(t.audience));
    local = counts({ audience: 3 });
    a.localChanged();
    assert.deepEqual(seen, [43]);
  });

  it("counts another node's unreadable entry as zero instead of failing", async () => {
    const a = await node('BAD234', 'a', () => counts({ audience: 1 }));
    const redis = connections.at(-1)!;
    await redis.hset(countsKey('BAD234'), 'odd', 'not json', 'neg', JSON.stringify({ audience: -5, screen: 'x' }));
    await redis.zadd(nodesKey('BAD234'), Date.now() + 60_000, 'odd', Date.now() + 60_000, 'neg');
    await a.beat();
    assert.deepEqual(a.totals(), counts({ audience: 1 }));
    assert.equal(a.reachable, true);
  });
});

describe('ClusterPresence without Redis', { skip }, () => {
  it('keeps the last totals while Redis is away and catches up by itself when it returns', async () => {
    const server = await RedisProcess.start();
    const redisA = await commandConnection(server.url, 'away-a');
    const redisB = await commandConnection(server.url, 'away-b');
    let bCount = 7;
    const a = new ClusterPresence({ redis: redisA, code: 'AWY234', node: 'a', local: () => counts({ audience: 1 }), heartbeatMs: 100, expiryMs: 400 });
    const b = new ClusterPresence({ redis: redisB, code: 'AWY234', node: 'b', local: () => counts({ audience: bCount }), heartbeatMs: 100, expiryMs: 400 });
    try {
      await b.start();
      await a.start();
      assert.equal(a.totals().audience, 8);

      await server.kill();
      const failuresBefore = a.failures;
      await a.beat();
      assert.equal(a.reachable, false);
      assert.ok(a.failures > failuresBefore);
      assert.equal(a.totals().audience, 8, 'the last known shares are kept');

      bCount = 9;
      await server.launch(); // empty: no AOF
      await until('both nodes to beat again and A to see B’s new count', () => a.reachable && a.totals().audience === 10);
    } finally {
      await a.stop();
      await b.stop();
      redisA.disconnect();
      redisB.disconnect();
      await server.dispose();
    }
  });
});
