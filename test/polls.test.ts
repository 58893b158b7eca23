import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION, type DeckState, type ServerMessage } from '../protocol/messages.ts';
import type { ResultsMessage } from '../protocol/polls.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const at = (indexh: number, indexv = 0): DeckState => ({ indexh, indexv, indexf: -1, paused: false, overview: false });

async function phone(server: RunningServer, participant: string): Promise<TestClient> {
  const client = await TestClient.connect(server.port);
  client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
  await client.next('welcome');
  return client;
}

const presenterOf = (server: RunningServer) => TestClient.join(server.port, server.code, 'presenter', server.presenterKey);

/** Waits until no message arrived for `quietMs`, then returns every message of `type` so far. */
async function drain<T extends ServerMessage['type']>(client: TestClient, type: T, quietMs = 400): Promise<Array<Extract<ServerMessage, { type: T }>>> {
  let count = -1;
  while (count !== client.messages.length) {
    count = client.messages.length;
    await sleep(quietMs);
  }
  const found = client.messages.filter((m) => m.type === type) as Array<Extract<ServerMessage, { type: T }>>;
  client.messages.splice(0, client.messages.length, ...client.messages.filter((m) => m.type !== type));
  return found;
}

describe('live polls over a real server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ deckPath: POLL_DECK });
  });
  after(async () => {
    await server.close();
  });

  it('lists the deck polls in the welcome, ready', async () => {
    const p = await phone(server, 'welcome-reader');
    p.close();
    const client = await TestClient.connect(server.port);
    client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'welcome-reader' });
    const welcome = await client.next('welcome');
    assert.deepEqual(welcome.polls?.map((v) => v.poll.id), ['transport', 'tools', 'word', 'rate', 'open']);
    assert.ok(welcome.polls?.every((v) => v.status === 'ready'));
    client.close();
  });

  it('counts one ballot per participant: a second ballot replaces the first, each acked', async () => {
    const presenter = await presenterOf(server);
    presenter.send({ type: 'openPoll', poll: 'transport' });
    const opened = await presenter.next('poll');
    assert.equal(opened.view.status, 'open');
    assert.ok(opened.seq > 0);

    const [ann, bob] = await Promise.all([phone(server, 'ann'), phone(server, 'bob')]);
    ann.send({ type: 'ballot', poll: 'transport', key: 'a1', value: { choices: [0] } });
    const ack = await ann.next('ack');
    assert.equal(ack.key, 'a1');
    assert.ok(ack.seq > opened.seq, 'the ballot is a stored change with a later seq');
    bob.send({ type: 'ballot', poll: 'transport', key: 'b1', value: { choices: [0] } });
    await bob.next('ack');
    ann.send({ type: 'ballot', poll: 'transport', key: 'a2', value: { choices: [2] } });
    await ann.next('ack');
    // A resend of a ballot already stored is acknowledged again and counted once.
    bob.send({ type: 'ballot', poll: 'transport', key: 'b1', value: { choices: [0] } });
    assert.equal((await bob.next('ack')).key, 'b1');

    const results = await drain(presenter, 'results');
    const last = results.at(-1)!;
    assert.deepEqual(last.results.counts, [1, 0, 1]);
    assert.equal(last.results.ballots, 2);

    // A reconnecting phone sees its own ballot and the results in its welcome.
    ann.close();
    const again = await TestClient.connect(server.port);
    again.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'ann' });
    const view = (await again.next('welcome')).polls?.find((v) => v.poll.id === 'transport');
    assert.deepEqual(view?.mine, { choices: [2] });
    assert.deepEqual(view?.results?.counts, [1, 0, 1]);
    for (const c of [presenter, bob, again]) c.close();
  });

  it('refuses ballots after close (with the key) and sends the final tally with the close', async () => {
    const presenter = await presenterOf(server);
    const cat = await phone(server, 'cat');
    cat.send({ type: 'ballot', poll: 'transport', key: 'c1', value: { choices: [1] } });
    await cat.next('ack');
    presenter.send({ type: 'closePoll', poll: 'transport' });
    const closed = await cat.next('poll');
    assert.equal(closed.view.status, 'closed');
    assert.deepEqual(closed.view.results?.counts, [1, 1, 1]);

    cat.send({ type: 'ballot', poll: 'transport', key: 'c2', value: { choices: [0] } });
    const error = await cat.next('error');
    assert.deepEqual([error.code, error.ref, error.key], ['poll_closed', 'ballot', 'c2']);
    presenter.close();
    cat.close();
  });

  it('lets only the presenter open, close and create polls', async () => {
    const p = await phone(server, 'dan');
    p.send({ type: 'openPoll', poll: 'tools' });
    assert.deepEqual([(await p.next('error')).code], ['forbidden']);
    p.send({ type: 'createPoll', key: 'x', poll: { type: 'words', question: 'Mine?', options: [], results: 'live' }, openNow: true });
    assert.equal((await p.next('error')).code, 'forbidden');
    const screen = await TestClient.join(server.port, server.code, 'screen');
    screen.send({ type: 'closePoll', poll: 'tools' });
    assert.equal((await screen.next('error')).code, 'forbidden');
    p.send({ type: 'ballot', poll: 'nope', key: 'k', value: { choices: [0] } });
    assert.equal((await p.next('error')).code, 'unknown_poll');
    p.send({ type: 'ballot', poll: 'tools', key: 'k', value: { choices: [0] } });
    assert.equal((await p.next('error')).code, 'poll_closed', 'a poll that was never opened takes no ballots');
    p.close();
    screen.close();
  });

  it('creates a poll live and opens it at once', async () => {
    const presenter = await presenterOf(server);
    const p = await phone(server, 'eve');
    presenter.send({ type: 'createPoll', key: 'new-1', poll: { type: 'single', question: 'Tea or coffee?', options: ['Tea', 'Coffee'], results: 'live' }, openNow: true });
    assert.equal((await presenter.next('ack')).key, 'new-1');
    const created = await p.next('poll');
    assert.deepEqual([created.view.poll.id, created.view.status, created.view.poll.slide], ['live-1', 'ready', null]);
    assert.equal((await p.next('poll')).view.status, 'open');
    p.send({ type: 'ballot', poll: 'live-1', key: 'e1', value: { choices: [1] } });
    await p.next('ack');
    presenter.close();
    p.close();
  });

  it('opens an on-slide poll when the presenter shows its slide', async () => {
    const presenter = await presenterOf(server);
    presenter.send({ type: 'goto', state: at(3) });
    await presenter.next('deck');
    const opened = await presenter.next('poll');
    assert.deepEqual([opened.view.poll.id, opened.view.status], ['word', 'open']);
    presenter.close();
  });

  it('hides a closed-results poll from phones until it closes, never from the presenter', async () => {
    const presenter = await presenterOf(server);
    const p = await phone(server, 'fay');
    presenter.send({ type: 'openPoll', poll: 'tools' });
    assert.equal((await p.next('poll')).view.results, null);
    assert.notEqual((await presenter.next('poll')).view.results, null);
    p.send({ type: 'ballot', poll: 'tools', key: 'f1', value: { choices: [0, 2] } });
    await p.next('ack');
    assert.deepEqual((await presenter.next('results')).results.counts, [1, 0, 1]);
    await sleep(400);
    assert.equal(p.messages.filter((m) => m.type === 'results').length, 0, 'no results reach phones while hidden');
    presenter.send({ type: 'closePoll', poll: 'tools' });
    assert.deepEqual((await p.next('poll')).view.results?.counts, [1, 0, 1]);
    presenter.close();
    p.close();
  });

  it('coalesces a burst of 2000 ballots into a handful of absolute results, with an exact final tally', async () => {
    const presenter = await presenterOf(server);
    presenter.send({ type: 'openPoll', poll: 'rate' });
    await presenter.next('poll');
    await drain(presenter, 'results', 100);
    const phones = await Promise.all(Array.from({ length: 100 }, (_, i) => phone(server, `burst-${i}`)));
    const watcher = phones[0]!;
    await sleep(700);
    watcher.messages.length = 0;

    // 100 participants, 20 ballots each, the last one wins: participant i ends on option i % 5.
    const started = Date.now();
    for (let round = 0; round < 20; round++) {
      phones.forEach((p, i) => p.send({ type: 'ballot', poll: 'rate', key: `r${round}`, value: { choices: [round === 19 ? i % 5 : (i + round) % 5] } }));
    }
    await Promise.all(phones.map(async (p) => {
      for (let round = 0; round < 20; round++) await p.next('ack', 10_000);
    }));
    const took = Date.now() - started;
    const seen = await drain(watcher, 'results');
    const final = seen.at(-1) as ResultsMessage;
    assert.deepEqual(final.results.counts, [20, 20, 20, 20, 20]);
    assert.equal(final.results.ballots, 100);
    // At most one broadcast per 200 ms (plus the leading one) over the time the burst took.
    assert.ok(seen.length <= Math.ceil(took / 200) + 2, `${seen.length} results broadcasts in ${took} ms`);
    assert.ok(seen.length <= 12, `${seen.length} results broadcasts`);
    for (const c of [presenter, ...phones]) c.close();
  });

  it('aggregates reactions for the screen and rate-limits each sender', async () => {
    const screen = await TestClient.join(server.port, server.code, 'screen');
    const p = await phone(server, 'gus');
    const q = await phone(server, 'hal');
    for (let i = 0; i < 10; i++) p.send({ type: 'react', reaction: 'clap' });
    q.send({ type: 'react', reaction: 'love' });
    const batches = await drain(screen, 'reactions');
    const total = batches.reduce((sum, b) => ({ clap: sum.clap + (b.counts.clap ?? 0), love: sum.love + (b.counts.love ?? 0) }), { clap: 0, love: 0 });
    assert.deepEqual(total, { clap: 6, love: 1 }, 'a burst of 6 per participant, the rest refused');
    assert.ok(batches.length <= 2, `${batches.length} reaction broadcasts`);
    assert.equal(p.messages.filter((m) => m.type === 'error' && m.code === 'rate_limited').length, 4);
    assert.equal(p.messages.filter((m) => m.type === 'reactions').length, 0, 'phones do not get the reaction stream');
    for (const c of [screen, p, q]) c.close();
  });

  it('gives the presenter a pace gauge for the live slide, one signal per participant', async () => {
    const presenter = await presenterOf(server);
    presenter.send({ type: 'goto', state: at(4) });
    await presenter.next('deck');
    await drain(presenter, 'paceReport', 100);
    const [p, q] = await Promise.all([phone(server, 'ivy'), phone(server, 'jon')]);
    p.send({ type: 'pace', signal: 'fast' });
    p.send({ type: 'pace', signal: 'slow' });
    q.send({ type: 'pace', signal: 'slow' });
    await sleep(1200);
    const report = (await drain(presenter, 'paceReport')).at(-1)!;
    assert.ok((report.slides['4/0']?.slow ?? 0) > 1.9, JSON.stringify(report));
    assert.equal(report.slides['4/0']?.fast, 0);
    assert.deepEqual(report.active, { fast: 0, slow: 2 });
    q.send({ type: 'pace', signal: 'ok' });
    const later = await presenter.next('paceReport', 3000);
    assert.deepEqual(later.active, { fast: 0, slow: 1 });
    for (const c of [presenter, p, q]) c.close();
  });
});

describe('poll views in the welcome', () => {
  it('welcomes phones without a ballot with the current results, before and after a new ballot', async () => {
    // Its own server: the ballot below would change the tallies the other tests count on.
    const server = await startTestServer({ deckPath: POLL_DECK });
    after(() => server.close());
    const welcomeView = async (participant: string) => {
      const client = await TestClient.connect(server.port);
      client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
      const view = (await client.next('welcome')).polls?.find((v) => v.poll.id === 'transport');
      return { client, view };
    };
    const presenter = await presenterOf(server);
    presenter.send({ type: 'openPoll', poll: 'transport' });
    await presenter.next('poll');
    const first = await welcomeView('newcomer-1');
    assert.equal(first.view?.status, 'open');
    assert.equal(first.view?.mine, undefined);
    const counts = first.view!.results!.counts;
    first.client.send({ type: 'ballot', poll: 'transport', key: 'n1', value: { choices: [1] } });
    await first.client.next('ack');
    const second = await welcomeView('newcomer-2');
    assert.equal(second.view?.mine, undefined, 'not the previous joiner\'s ballot');
    assert.deepEqual(second.view?.results?.counts, counts.map((c, i) => (i === 1 ? c + 1 : c)), 'the ballot just cast is counted');
    const voter = await welcomeView('newcomer-1');
    assert.deepEqual(voter.view?.mine, { choices: [1] });
    for (const c of [presenter, first.client, second.client, voter.client]) c.close();
  });

  it('tells a phone that resumes the current results, then its snapshots, and a joining presenter the pace gauge', async () => {
    const server = await startTestServer({ deckPath: POLL_DECK });
    after(() => server.close());
    const presenter = await presenterOf(server);
    assert.ok(await presenter.next('paceReport'), 'the presenter is greeted with the gauge');
    presenter.send({ type: 'openPoll', poll: 'transport' });
    await presenter.next('poll');
    const voter = await phone(server, 'resumer');
    voter.send({ type: 'ballot', poll: 'transport', key: 'r1', value: { choices: [2] } });
    const { seq } = await voter.next('ack');
    await sleep(300);
    voter.ws.terminate();
    for (const key of ['r2', 'r3']) {
      const other = await phone(server, `other-${key}`);
      other.send({ type: 'ballot', poll: 'transport', key, value: { choices: [0] } });
      await other.next('ack');
      other.close();
    }
    await sleep(300); // the coalesced results of those ballots have gone out
    const back = await TestClient.connect(server.port);
    back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'resumer', lastSeq: seq });
    await back.next('chat_snapshot');
    await sleep(200);
    const types = back.messages.map((m) => m.type);
    const polls = types.filter((t) => t === 'results').length;
    assert.ok(polls >= 1);
    assert.deepEqual(types, ['resumed', ...Array<string>(polls).fill('results'), 'qa_snapshot'], 'in this order, and nothing else');
    assert.equal(back.messages[0]?.type === 'resumed' && back.messages[0].seq, seq);
    const transport = back.messages.find((m) => m.type === 'results' && m.poll === 'transport');
    assert.ok(transport?.type === 'results' && transport.results.ballots === 3, 'the ballots cast while it was away are counted');
    for (const c of [presenter, back]) c.close();
  });
});
