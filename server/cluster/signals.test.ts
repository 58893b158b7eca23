import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { commandConnection, subscriberConnection, type RedisClient } from './redis.ts';
import { RedisSignals, signalsKey } from './signals.ts';

const skip = redisMissing() ?? false;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('RedisSignals', { skip }, () => {
  let server: RedisProcess;
  const connections: RedisClient[] = [];
  const opened: RedisSignals[] = [];
  const command = async (name: string) => {
    const c = await commandConnection(server.url, name);
    connections.push(c);
    return c;
  };
  const nodeSignals = async (code: string, node: string) => {
    const s = await RedisSignals.connect(server.url, code, node, await command(node));
    opened.push(s);
    return s;
  };

  before(async () => {
    server = await RedisProcess.start();
  });
  after(async () => {
    for (const s of opened) await s.close();
    for (const c of connections) c.disconnect();
    await server?.dispose();
  });

  it("delivers to this node's listeners at once and to every other node once, never echoing back", async () => {
    const [a, b, c] = [await nodeSignals('SIG234', 'a'), await nodeSignals('SIG234', 'b'), await nodeSignals('SIG234', 'c')];
    const got: Record<string, unknown[]> = { a: [], b: [], c: [] };
    a.subscribe('reaction', (d) => got.a!.push(d));
    b.subscribe('reaction', (d) => got.b!.push(d));
    c.subscribe('reaction', (d) => got.c!.push(d));

    a.publish('reaction', { emoji: '🎉', n: 1 });
    assert.deepEqual(got.a, [{ emoji: '🎉', n: 1 }], 'local listeners run inside publish');
    await until('b and c to get the signal', () => got.b!.length === 1 && got.c!.length === 1);
    assert.deepEqual(got.b, [{ emoji: '🎉', n: 1 }]);
    assert.deepEqual(got.c, [{ emoji: '🎉', n: 1 }]);

    c.publish('reaction', { emoji: '👏', n: 2 });
    await until('a and b to get the second signal', () => got.a!.length === 2 && got.b!.length === 2);
    await sleep(100);
    assert.deepEqual(got.a, [{ emoji: '🎉', n: 1 }, { emoji: '👏', n: 2 }], 'a got its own signal once (no echo) and c’s once');
    assert.deepEqual(got.c, [{ emoji: '🎉', n: 1 }, { emoji: '👏', n: 2 }]);
    assert.equal(a.published, 1);
    assert.equal(a.delivered, 1);
  });

  it('keeps channels and talks apart', async () => {
    const a = await nodeSignals('ONE234', 'a');
    const b = await nodeSignals('ONE234', 'b');
    const other = await nodeSignals('TWO234', 'b');
    const got: string[] = [];
    b.subscribe('pointer', (d) => got.push(`pointer:${JSON.stringify(d)}`));
    b.subscribe('topic', (d) => got.push(`topic:${JSON.stringify(d)}`));
    other.subscribe('pointer', (d) => got.push(`other:${JSON.stringify(d)}`));
    a.publish('pointer', { x: 0.5, y: 0.25 });
    a.publish('topic', 'mood');
    await until('both signals', () => got.length >= 2);
    await sleep(100);
    assert.deepEqual(got, ['pointer:{"x":0.5,"y":0.25}', 'topic:"mood"']);
  });

  it('shares one subscriber connection between talks; closing one leaves the other subscribed', async () => {
    const shared = await subscriberConnection(server.url, 'shared-sub');
    connections.push(shared);
    const publisher = await command('shared-pub');
    const first = await RedisSignals.open({ code: 'SHA234', node: 'b', publisher, subscriber: shared });
    const second = await RedisSignals.open({ code: 'SHB234', node: 'b', publisher, subscriber: shared });
    opened.push(first, second);
    const got: string[] = [];
    first.subscribe('r', (d) => got.push(`first:${String(d)}`));
    second.subscribe('r', (d) => got.push(`second:${String(d)}`));
    const senderA = await nodeSignals('SHA234', 'a');
    const senderB = await nodeSignals('SHB234', 'a');
    senderA.publish('r', 1);
    senderB.publish('r', 2);
    await until('both talks', () => got.length === 2);
    assert.deepEqual(got.sort(), ['first:1', 'second:2']);

    await first.close();
    senderA.publish('r', 3);
    senderB.publish('r', 4);
    await until('the open talk', () => got.length === 3);
    await sleep(100);
    assert.deepEqual(got, ['first:1', 'second:2', 'second:4']);
  });

  it('ignores messages on the channel that are not signals, and survives a throwing listener', async () => {
    const errors: string[] = [];
    const publisher = await command('bad-pub');
    const subscriber = await subscriberConnection(server.url, 'bad-sub');
    connections.push(subscriber);
    const b = await RedisSignals.open({ code: 'BAD234', node: 'b', publisher, subscriber, onListenerError: (_e, c) => errors.push(c) });
    opened.push(b);
    const got: unknown[] = [];
    b.subscribe('r', () => {
      throw new Error('listener bug');
    });
    b.subscribe('r', (d) => got.push(d));
    const raw = await command('raw');
    for (const junk of ['not json', '[]', 'null', '{"n":1,"c":"r"}', '{"c":"r","d":1}']) await raw.publish(signalsKey('BAD234'), junk);
    await raw.publish(signalsKey('BAD234'), JSON.stringify({ n: 'a', c: 'r', d: 'fine' }));
    await until('the good signal', () => got.length === 1);
    assert.deepEqual(got, ['fine']);
    assert.equal(b.malformed, 5);
    assert.deepEqual(errors, ['r']);
  });
});

describe('RedisSignals without Redis', { skip }, () => {
  it('still delivers locally and drops (counted) for other nodes while Redis is away, then works again', async () => {
    const server = await RedisProcess.start();
    const pubA = await commandConnection(server.url, 'away-a');
    const pubB = await commandConnection(server.url, 'away-b');
    const a = await RedisSignals.connect(server.url, 'AWY234', 'a', pubA);
    const b = await RedisSignals.connect(server.url, 'AWY234', 'b', pubB);
    const local: unknown[] = [];
    const remote: unknown[] = [];
    a.subscribe('r', (d) => local.push(d));
    b.subscribe('r', (d) => remote.push(d));
    try {
      await server.kill();
      await until('the publisher to notice', () => pubA.status !== 'ready');
      a.publish('r', 'during');
      assert.deepEqual(local, ['during']);
      assert.equal(a.dropped, 1);

      await server.launch();
      // Both connections reconnect and the subscriber resubscribes by itself; signals flow again.
      let n = 0;
      await until('a signal to cross after the restart', () => {
        if (pubA.status === 'ready') a.publish('r', `after-${n++}`);
        return remote.length > 0;
      });
      assert.match(String(remote[0]), /^after-\d+$/);
      assert.ok(!remote.includes('during'), 'a signal from the outage is not delivered late');
    } finally {
      await a.close();
      await b.close();
      pubA.disconnect();
      pubB.disconnect();
      await server.dispose();
    }
  });
});
