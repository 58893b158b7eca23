/**
 * What a client written from docs/protocol.md alone expects, in the places where the server
 * once contradicted the document (issue 14): refusals of a write name its key, the moderator
 * is staff for reactions and pace, `question` replaces the whole question for every
 * recipient (voted included), and a flooding client hears `rate_limited` exactly 20 times.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, type Role } from '../protocol/messages.ts';
import type { Question } from '../protocol/qa.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const slide = { indexh: 0, indexv: 0, indexf: -1 };

async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.port);
  const key = role === 'presenter' ? server.presenterKey : role === 'moderator' ? server.moderatorKey : undefined;
  client.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(key ? { key } : {}), ...(participant ? { participant } : {}) });
  await client.next('welcome');
  return client;
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

const latest = (c: TestClient, id: string): Question | undefined =>
  c.messages.flatMap((m) => (m.type === 'question' && m.question.id === id ? [m.question] : [])).at(-1);

describe('the protocol as docs/protocol.md describes it', () => {
  let server: RunningServer;
  const clients: TestClient[] = [];
  const track = (c: TestClient) => (clients.push(c), c);
  before(async () => {
    server = await startTestServer({ deckPath: POLL_DECK });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('names the key of a ballot, ask or upvote that fails validation, so the outbox can drop it', async () => {
    const phone = track(await join(server, 'audience', 'refused-writer'));
    phone.sendRaw(JSON.stringify({ type: 'ballot', poll: 'transport', key: 'bad-ballot', value: { choices: 'first' } }));
    phone.sendRaw(JSON.stringify({ type: 'ask', key: 'bad-ask', text: 42, slide }));
    phone.sendRaw(JSON.stringify({ type: 'upvote', key: 'bad-upvote', question: 'q1', on: 'yes' }));
    const refusals = [await phone.next('error'), await phone.next('error'), await phone.next('error')];
    assert.deepEqual(
      refusals.map((e) => [e.code, e.ref, e.key]),
      [
        ['bad_message', 'ballot', 'bad-ballot'],
        ['bad_message', 'ask', 'bad-ask'],
        ['bad_message', 'upvote', 'bad-upvote'],
      ],
    );
  });

  it('sends the moderator the reactions and the pace gauge, as it does the presenter', async () => {
    const moderator = track(await join(server, 'moderator'));
    await moderator.next('paceReport');
    const phone = track(await join(server, 'audience', 'reacting-phone'));
    phone.send({ type: 'react', reaction: 'clap' });
    phone.send({ type: 'pace', signal: 'slow' });
    assert.deepEqual((await moderator.next('reactions')).counts, { clap: 1 });
    const report = await moderator.next('paceReport');
    assert.deepEqual(report.active, { fast: 0, slow: 1 });
  });

  it("keeps a voter's voted mark when someone else upvotes the same question", async () => {
    const asker = track(await join(server, 'audience', 'mark-asker'));
    const first = track(await join(server, 'audience', 'mark-first'));
    const second = track(await join(server, 'audience', 'mark-second'));
    const bystander = track(await join(server, 'audience', 'mark-bystander'));
    asker.send({ type: 'ask', key: 'mark-q', text: 'Does my mark stay?', slide });
    await asker.next('ack');
    let id = '';
    await until(() => {
      const m = first.messages.find((m) => m.type === 'question' && m.question.text === 'Does my mark stay?');
      id = m?.type === 'question' ? m.question.id : '';
      return id !== '';
    }, 'the first voter sees the question');
    first.send({ type: 'upvote', key: 'mark-v1', question: id, on: true });
    await first.next('ack');
    second.send({ type: 'upvote', key: 'mark-v2', question: id, on: true });
    await second.next('ack');
    await until(() => [first, second, bystander, asker].every((c) => latest(c, id)?.votes === 2), 'everyone sees two votes');
    assert.equal(latest(first, id)?.voted, true, 'the first voter still sees their vote');
    assert.equal(latest(second, id)?.voted, true);
    assert.notEqual(latest(bystander, id)?.voted, true, 'a bystander never sees a vote as theirs');
    assert.equal(latest(asker, id)?.mine, true);

    // A moderation replaces the question for everyone: the voters' copies keep the mark then too.
    const presenter = track(await join(server, 'presenter'));
    presenter.send({ type: 'moderate', question: id, action: 'answer' });
    await until(() => latest(first, id)?.state === 'answered' && latest(bystander, id)?.state === 'answered', 'the answer reaches the room');
    assert.equal(latest(first, id)?.voted, true);
    assert.notEqual(latest(bystander, id)?.voted, true);
  });

  it('answers an invalid-frame flood with exactly 20 rate_limited errors, the last with close 1008', async () => {
    const flood = track(await join(server, 'audience'));
    for (let i = 0; i < 80; i++) flood.sendRaw('not json');
    assert.equal(await flood.waitClose(5000), 1008);
    const errors = flood.messages.flatMap((m) => (m.type === 'error' ? [m.code] : []));
    assert.equal(errors.filter((c) => c === 'bad_json').length, 20, 'the invalid-frame burst');
    assert.equal(errors.filter((c) => c === 'rate_limited').length, 20);
    assert.equal(errors.at(-1), 'rate_limited');
  });
});
