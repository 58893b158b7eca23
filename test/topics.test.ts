/**
 * Topics for a deck's own scripts, over a real server and real WebSockets: what the presenter
 * publishes reaches every follower, late joiners get each topic's last value, phones publish only
 * to declared topics, bounded in size and rate, and the room's taps are combined server-side.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import { TOPIC_LIMITS } from '../protocol/topics.ts';
import type { RunningServer } from '../server/start.ts';
import { silent, TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const DECK = `---
title: Topics
livedeck:
  topics:
    taps: { audience: true }
    status: {}
---

# One

---

# Two
`;

let phones = 0;
async function join(server: RunningServer, role: Role): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : undefined;
  const participant = role === 'audience' ? `topic-phone-${++phones}` : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  return c;
}

async function refusal(c: TestClient, ref: string): Promise<Extract<ServerMessage, { type: 'error' }>> {
  for (;;) {
    const error = await c.next('error');
    if (error.ref === ref) return error;
  }
}

describe('topics for deck scripts', () => {
  let dir: string;
  let server: RunningServer;
  const open: TestClient[] = [];
  const track = (c: TestClient) => (open.push(c), c);
  before(async () => {
    dir = await mkdtemp(joinPath(tmpdir(), 'livedeck-topics-'));
    await writeFile(joinPath(dir, 'talk.md'), DECK);
    server = await startTestServer({ deckPath: joinPath(dir, 'talk.md') });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers the presenter's publish to every follower as parsed data, and answers its id", async () => {
    const presenter = track(await join(server, 'presenter'));
    const phone = track(await join(server, 'audience'));
    const screen = track(await join(server, 'screen'));
    const data = { step: 2, label: '<img src=x onerror=alert(1)>', list: [1, 'two', null] };
    presenter.send({ type: 'publish', topic: 'status', data, id: 'p1' });
    assert.equal((await presenter.next('published')).id, 'p1');
    for (const c of [phone, screen, presenter]) {
      const m = await c.next('topic');
      assert.equal(m.topic, 'status');
      assert.deepEqual(m.data, data, 'the data arrives as JSON, as sent');
      assert.equal(m.from, 'presenter');
    }
  });

  it("gives a late joiner each topic's last value", async () => {
    const presenter = track(await join(server, 'presenter'));
    presenter.send({ type: 'publish', topic: 'undeclared-but-presenter', data: 'first' });
    presenter.send({ type: 'publish', topic: 'undeclared-but-presenter', data: 'last' });
    await presenter.next('topic');
    await presenter.next('topic');
    const late = track(await join(server, 'audience'));
    const snap = await late.next('topics');
    assert.equal(snap.topics['undeclared-but-presenter']?.data, 'last');
    assert.equal(snap.topics['undeclared-but-presenter']?.from, 'presenter');
    assert.equal(snap.topics.status?.from, 'presenter');
  });

  it('refuses a phone publishing to an undeclared topic, or one not open to phones, and tells nobody', async () => {
    const phone = track(await join(server, 'audience'));
    const other = track(await join(server, 'audience'));
    phone.send({ type: 'publish', topic: 'nope', data: 1, id: 'x1' });
    const error = await refusal(phone, 'publish');
    assert.equal(error.code, 'undeclared_topic');
    assert.equal(error.key, 'x1');
    assert.match(error.message, /"nope" is not declared for phones/);
    phone.send({ type: 'publish', topic: 'status', data: 'hijack' });
    assert.equal((await refusal(phone, 'publish')).code, 'undeclared_topic');
    assert.ok(await silent(other, 'topic', 300), 'no follower heard it');
  });

  it('refuses the screen publishing', async () => {
    const screen = track(await join(server, 'screen'));
    screen.send({ type: 'publish', topic: 'taps', data: 1 });
    assert.equal((await refusal(screen, 'publish')).code, 'forbidden');
  });

  it('refuses an oversized value and a flood, and keeps the connection serving', async () => {
    const phone = track(await join(server, 'audience'));
    phone.send({ type: 'publish', topic: 'taps', data: 'x'.repeat(TOPIC_LIMITS.dataBytes), id: 'big' });
    const big = await refusal(phone, 'publish');
    assert.equal(big.code, 'topic_too_large');
    assert.equal(big.key, 'big');
    phone.send({ type: 'publish', topic: 'taps', data: { nested: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]] } });
    assert.equal((await refusal(phone, 'publish')).code, 'bad_message');
    for (let i = 0; i < 25; i++) phone.send({ type: 'publish', topic: 'taps', data: i });
    assert.equal((await refusal(phone, 'publish')).code, 'rate_limited');
    phone.send({ type: 'ping', t: 7 });
    assert.equal((await phone.next('pong')).t, 7);
  });

  it("combines the room's publishes on an audience topic: a few multicasts a second with the count and last value", async () => {
    const presenter = track(await join(server, 'presenter'));
    const watcher = track(await join(server, 'audience'));
    await new Promise((r) => setTimeout(r, 600)); // let the previous test's taps flush
    presenter.messages.length = 0;
    watcher.messages.length = 0;
    const tappers = await Promise.all(Array.from({ length: 20 }, () => join(server, 'audience')));
    tappers.forEach(track);
    const before = (await join(server, 'presenter'));
    track(before);
    const start = (await before.next('topics')).topics.taps?.count ?? 0;
    for (const t of tappers) for (let i = 0; i < 5; i++) t.send({ type: 'publish', topic: 'taps', data: { n: i } });
    let last: Extract<ServerMessage, { type: 'topic' }> | null = null;
    while (!last || last.count < start + 100) {
      const m = await watcher.next('topic', 5000);
      if (m.topic === 'taps') last = m;
    }
    assert.equal(last.from, 'audience');
    assert.equal(last.count, start + 100);
    assert.equal((last.data as { n: number }).n, 4);
    const seen = watcher.messages.filter((m) => m.type === 'topic').length;
    await new Promise((r) => setTimeout(r, 400));
    const received = 1 + seen + watcher.messages.filter((m) => m.type === 'topic').length;
    assert.ok(received < 20, `100 taps reached a follower as ${received} messages, not 100`);
    console.log(`# 100 taps from 20 phones reached one follower as ${received} topic messages`);
  });
});
