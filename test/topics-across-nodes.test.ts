/**
 * Topic values cross nodes as signals (host.signals): what another node signals reaches this
 * node's pages and late joiners, this node's phones' taps leave it combined (a few signals
 * carrying the count, not a signal per tap), and a signal of the wrong shape changes nothing.
 * On one node the signals bus is in-process; the test plays the other node by publishing on it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { TOPIC_CHANNEL, type TopicSignal } from '../server/features/topics/index.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';
import { talkHostOf } from './support/talk-host.ts';

const DECK = `---
title: Topics across nodes
livedeck:
  topics:
    taps: { audience: true }
---

# One
`;

let phones = 0;
async function join(server: RunningServer, role: Role): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : undefined;
  const participant = role === 'audience' ? `node-phone-${++phones}` : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  return c;
}

type TopicMessage = Extract<ServerMessage, { type: 'topic' }>;

/** The next `topic` message whose count reaches `count`. */
async function topicAt(c: TestClient, count: number): Promise<TopicMessage> {
  for (;;) {
    const m = await c.next('topic', 5000);
    if (m.count >= count) return m;
  }
}

describe('topic values across nodes', () => {
  let dir: string;
  let server: RunningServer;
  const open: TestClient[] = [];
  const track = (c: TestClient) => (open.push(c), c);
  const signalled: TopicSignal[] = [];
  before(async () => {
    dir = await mkdtemp(joinPath(tmpdir(), 'livedeck-topic-nodes-'));
    await writeFile(joinPath(dir, 'talk.md'), DECK);
    server = await startTestServer({ deckPath: joinPath(dir, 'talk.md') });
    talkHostOf(server).signals.subscribe(TOPIC_CHANNEL, (data) => void signalled.push(data as TopicSignal));
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives this node's pages and late joiners a value another node signalled", async () => {
    const watcher = track(await join(server, 'audience'));
    const presenter = track(await join(server, 'presenter'));
    talkHostOf(server).signals.publish(TOPIC_CHANNEL, { topic: 'taps', data: { n: 9 }, from: 'audience', taps: 7 } satisfies TopicSignal);
    for (const c of [watcher, presenter]) {
      const m = await topicAt(c, 7);
      assert.deepEqual([m.topic, m.data, m.from, m.count], ['taps', { n: 9 }, 'audience', 7], "the other node's 7 taps count here");
    }
    const late = track(await join(server, 'screen'));
    const snap = await late.next('topics');
    assert.deepEqual(snap.topics.taps, { data: { n: 9 }, from: 'audience', count: 7 });
  });

  it("sends this node's phones' taps to the other nodes combined: few signals, every tap counted", async () => {
    const watcher = track(await join(server, 'screen'));
    const start = (await watcher.next('topics')).topics.taps?.count ?? 0;
    await new Promise((r) => setTimeout(r, 300)); // the previous test's signals are in
    signalled.length = 0;
    const tappers = await Promise.all(Array.from({ length: 20 }, () => join(server, 'audience')));
    tappers.forEach(track);
    for (const t of tappers) for (let i = 0; i < 5; i++) t.send({ type: 'publish', topic: 'taps', data: { n: i } });
    const last = await topicAt(watcher, start + 100);
    assert.equal(last.count, start + 100);
    const taps = signalled.reduce((sum, s) => sum + s.taps, 0);
    assert.equal(taps, 100, 'the signals carry every tap');
    assert.ok(signalled.every((s) => s.from === 'audience' && s.topic === 'taps'));
    assert.ok(signalled.length < 100, `100 taps must not be 100 signals (were ${signalled.length})`);
    console.log(`# 100 taps from 20 phones left the node as ${signalled.length} signal(s)`);
  });

  it("signals a presenter's value after the node's waiting taps, so every node ends on the presenter's", async () => {
    const presenter = track(await join(server, 'presenter'));
    const phone = track(await join(server, 'audience'));
    const watcher = track(await join(server, 'screen'));
    const start = (await watcher.next('topics')).topics.taps?.count ?? 0;
    await new Promise((r) => setTimeout(r, 300)); // a quiet spell: the next tap waits for no flush
    phone.send({ type: 'publish', topic: 'taps', data: 'phone', id: 'ph' });
    await phone.next('published');
    phone.send({ type: 'publish', topic: 'taps', data: 'phone again', id: 'ph2' });
    await phone.next('published');
    presenter.send({ type: 'publish', topic: 'taps', data: 'presenter', id: 'pr' });
    await presenter.next('published');
    const last = await topicAt(watcher, start + 3);
    assert.deepEqual([last.data, last.from, last.count], ['presenter', 'presenter', start + 3]);
    const order = signalled.slice(-2).map((s) => s.from);
    assert.deepEqual(order, ['audience', 'presenter'], 'the waiting tap was signalled first');
  });

  it('drops a signal of the wrong shape and keeps the topics as they were', async () => {
    const watcher = track(await join(server, 'screen'));
    const before = (await watcher.next('topics')).topics.taps!;
    const { signals } = talkHostOf(server);
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    signals.publish(TOPIC_CHANNEL, { topic: 'taps', data: 'x', from: 'nobody', taps: 1 });
    signals.publish(TOPIC_CHANNEL, { topic: 'taps', data: 'x', from: 'audience', taps: 0 });
    signals.publish(TOPIC_CHANNEL, { topic: '<b>', data: 'x', from: 'presenter', taps: 1 });
    signals.publish(TOPIC_CHANNEL, 'not even an object');
    assert.match((await warned).message, /topic signal/);
    signals.publish(TOPIC_CHANNEL, { topic: 'taps', data: 'good', from: 'presenter', taps: 1 } satisfies TopicSignal);
    const m = await watcher.next('topic');
    assert.deepEqual([m.data, m.count], ['good', before.count + 1], 'only the well-formed signal counted');
  });
});
