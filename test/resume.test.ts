import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });
const UNLIMITED = { goto: { perSecond: 1e6, burst: 1e6 }, frame: { perSecond: 1e6, burst: 1e6 } };

async function rejoin(port: number, code: string, lastSeq: number): Promise<TestClient> {
  const c = await TestClient.connect(port);
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: code, lastSeq });
  return c;
}

describe('resume after a reconnect', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ rates: UNLIMITED });
  });
  after(() => server.close());

  it('replays exactly the missed moves after a short cut, with no snapshot', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await TestClient.join(server.port, server.code, 'audience');
    presenter.send({ type: 'goto', state: at(1) });
    const seen = (await phone.next('deck')).seq;
    await presenter.next('deck');
    phone.ws.terminate();
    const missed = [at(1, 0, 0), at(2), at(2, 1)];
    const seqs: number[] = [];
    for (const state of missed) {
      presenter.send({ type: 'goto', state });
      seqs.push((await presenter.next('deck')).seq);
    }
    const back = await rejoin(server.port, server.code, seen);
    const resumed = await back.next('resumed');
    assert.equal(resumed.seq, seen);
    const replayed = [];
    for (let i = 0; i < missed.length; i++) replayed.push(await back.next('deck'));
    assert.deepEqual(replayed.map((m) => m.seq), seqs);
    assert.deepEqual(replayed.map((m) => m.state), missed);
    await new Promise((r) => setTimeout(r, 100));
    // Feature snapshots (Q&A, chat) may follow a resume; the deck is not re-sent.
    assert.deepEqual(back.messages.filter((m) => m.type === 'welcome' || m.type === 'deck'), [], 'no welcome, no extra move');
    for (const c of [presenter, back]) c.close();
  });

  it('resumes with nothing to replay when nothing was missed', async () => {
    const phone = await TestClient.connect(server.port);
    phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    const { seq } = await phone.next('welcome');
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: at(3) });
    const moved = (await phone.next('deck')).seq;
    assert.ok(moved > seq);
    phone.ws.terminate();
    const back = await rejoin(server.port, server.code, moved);
    await back.next('resumed');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(back.messages.filter((m) => m.type === 'deck' || m.type === 'welcome').length, 0);
    for (const c of [presenter, back]) c.close();
  });

  it('sends a full snapshot after a long cut the history no longer covers', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await TestClient.join(server.port, server.code, 'audience');
    presenter.send({ type: 'goto', state: at(1) });
    const seen = (await phone.next('deck')).seq;
    phone.ws.terminate();
    // Any 1100 moves the deck allows: more than the history keeps.
    for (let i = 0; i < 1100; i++) presenter.send({ type: 'goto', state: at(i % 4) });
    for (let i = 0; i < 1100; i++) await presenter.next('deck');
    presenter.send({ type: 'goto', state: at(2, 1) });
    await presenter.next('deck');
    const back = await rejoin(server.port, server.code, seen);
    const welcome = await back.next('welcome');
    assert.deepEqual(welcome.deck, at(2, 1));
    assert.equal(back.messages.filter((m) => m.type === 'deck' || m.type === 'resumed').length, 0);
    for (const c of [presenter, back]) c.close();
  });

  it('sends a snapshot for a seq it never issued', async () => {
    const back = await rejoin(server.port, server.code, 999_999);
    await back.next('welcome');
    back.close();
  });
});

describe('resume across a server restart', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'livedeck-resume-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a client from before the restart a snapshot, at the stored slide', async () => {
    const first = await startTestServer({ dataDir: dir });
    const presenter = await TestClient.join(first.port, first.code, 'presenter', first.presenterKey);
    presenter.send({ type: 'goto', state: at(2, 1) });
    const seq = (await presenter.next('deck')).seq;
    await first.close();
    const second = await startTestServer({ dataDir: dir });
    assert.equal(second.code, first.code);
    assert.equal(second.origin, 'restored');
    const back = await rejoin(second.port, second.code, seq);
    const welcome = await back.next('welcome');
    assert.deepEqual(welcome.deck, at(2, 1));
    assert.equal(welcome.seq, seq);
    back.close();
    await second.close();
  });
});
