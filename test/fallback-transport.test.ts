import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import { FALLBACK_LIMITS } from '../protocol/transport.ts';
import { sessionClosedSchema, sessionOpenedSchema, transportErrorSchema, transportServerSchemas } from '../protocol/transport-schemas.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { FallbackClient, http, parseEvents } from './support/fallback-client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });

describe('fallback transports (SSE, long-polling, POST) over a real server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('opens a session whose answer matches the published schema', async () => {
    const answer = await http(server.port, 'POST', '/ld/session', '');
    assert.equal(answer.status, 201);
    const opened = v.parse(sessionOpenedSchema, JSON.parse(answer.body));
    assert.equal(opened.maxBodyBytes, 16 * 1024);
  });

  it('follows the presenter over SSE, with the same seq as a WebSocket phone', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const wsPhone = await TestClient.join(server.port, server.code, 'audience');
    const phone = await FallbackClient.join(server.port, server.code, 'audience');
    presenter.send({ type: 'goto', state: at(1) });
    presenter.send({ type: 'goto', state: at(2, 1) });
    const [a1, a2] = [await phone.next('deck'), await phone.next('deck')];
    const [b1, b2] = [await wsPhone.next('deck'), await wsPhone.next('deck')];
    assert.deepEqual([a1.state, a2.state], [at(1), at(2, 1)]);
    assert.deepEqual([a1.seq, a2.seq], [b1.seq, b2.seq]);
    await phone.send({ type: 'ping', t: 42 });
    assert.equal((await phone.next('pong')).t, 42);
    presenter.close();
    wsPhone.close();
    await phone.close();
  });

  it('gives a stream that reconnects with Last-Event-ID exactly the messages it missed', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await FallbackClient.join(server.port, server.code, 'audience');
    presenter.send({ type: 'goto', state: at(1) });
    await phone.next('deck');
    const lastId = phone.ids.at(-1)!;
    phone.hangUp();
    const missed = [at(2), at(2, 1), at(3)];
    for (const state of missed) {
      presenter.send({ type: 'goto', state });
      await presenter.next('deck');
    }
    assert.equal(await phone.listen(lastId), 200);
    const got = [await phone.next('deck'), await phone.next('deck'), await phone.next('deck')];
    assert.deepEqual(got.map((m) => m.state), missed);
    // Exactly those: consecutive ids after the last one seen, nothing twice, nothing else.
    await phone.send({ type: 'ping', t: 1 });
    await phone.next('pong');
    assert.deepEqual(phone.ids.slice(phone.ids.indexOf(lastId)), [lastId, lastId + 1, lastId + 2, lastId + 3, lastId + 4]);
    assert.deepEqual(phone.messages.filter((m) => m.type === 'deck'), []);
    presenter.close();
    await phone.close();
  });

  it('answers a Last-Event-ID it no longer holds with 410 events_gone', async () => {
    // Rates lifted so one session can be sent more than a stream keeps.
    const lifted = await startTestServer({ rates: { frame: { perSecond: 1000, burst: 1000 }, ping: { perSecond: 1000, burst: 1000 } } });
    try {
      const phone = await FallbackClient.join(lifted.port, lifted.code, 'audience');
      const pings = Array.from({ length: FALLBACK_LIMITS.retainEvents * 2 }, (_, t) => ({ type: 'ping' as const, t }));
      for (let i = 0; i < pings.length; i += 30) await phone.send(...pings.slice(i, i + 30));
      while (phone.ids.length < pings.length + 1) await phone.next('pong');
      phone.hangUp();
      const answer = await http(lifted.port, 'GET', `/ld/events?session=${phone.session}`, undefined, { 'last-event-id': '1' });
      assert.equal(answer.status, 410);
      assert.equal(v.parse(transportErrorSchema, JSON.parse(answer.body)).error, 'events_gone');
      await phone.close();
    } finally {
      await lifted.close();
    }
  });

  it('delivers over long-polling, and a poll with after=N drops what the client has', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const session = await FallbackClient.open(server.port);
    const hello = JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    assert.equal((await session.sendRaw(hello)).status, 204);
    const first = parseEvents((await http(server.port, 'GET', `/ld/poll?session=${session.session}&after=0`)).body).events;
    assert.equal(JSON.parse(first[0]!.data).type, 'welcome');
    const after = first.at(-1)!.id!;
    // A poll with nothing to say waits; the move answers it.
    const waiting = http(server.port, 'GET', `/ld/poll?session=${session.session}&after=${after}`);
    await new Promise((r) => setTimeout(r, 100));
    presenter.send({ type: 'goto', state: at(3) });
    const moved = parseEvents((await waiting).body).events.map((e) => JSON.parse(e.data) as { type: string; state?: DeckState });
    assert.deepEqual(moved.filter((m) => m.type === 'deck').map((m) => m.state), [at(3)]);
    presenter.close();
    await session.close();
  });

  it('refuses a bad body with a clear error on the stream and changes nothing', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const before = (await presenter.next('deck', 50).catch(() => null)) ?? null;
    assert.equal(before, null);
    const phone = await FallbackClient.join(server.port, server.code, 'presenter', server.presenterKey);
    await phone.sendRaw('{"type":"goto","state":');
    assert.equal((await phone.next('error')).code, 'bad_json');
    await phone.send({ type: 'goto', state: at(99) } as never);
    assert.equal((await phone.next('error')).code, 'out_of_range');
    await phone.sendRaw(JSON.stringify({ type: 'goto', state: { indexh: 'x' } }));
    assert.equal((await phone.next('error')).code, 'bad_message');
    await assert.rejects(presenter.next('deck', 200), /timed out/);
    await phone.close();
    presenter.close();
  });

  it('refuses a body over 16 KiB with 413 and closes the session as a WebSocket closes with 1009', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await FallbackClient.join(server.port, server.code, 'audience');
    const answer = await phone.sendRaw(JSON.stringify({ type: 'ask', key: 'k1', text: 'x'.repeat(17 * 1024), slide: { indexh: 0, indexv: 0, indexf: -1 } }));
    assert.equal(answer.status, 413);
    assert.equal(v.parse(transportErrorSchema, JSON.parse(answer.body)).error, 'too_large');
    assert.deepEqual(v.parse(sessionClosedSchema, await phone.waitClosed()), { code: 1009, reason: 'too_large' });
    assert.equal((await phone.sendRaw('{"type":"ping","t":1}')).status, 404);
    await assert.rejects(presenter.next('question', 200), /timed out/);
    presenter.close();
  });

  it('refuses a wrong presenter key with bad_key and close 4003, and the audience role may not move the deck', async () => {
    const wrong = await FallbackClient.open(server.port);
    await wrong.listen();
    await wrong.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: 'nope' });
    assert.equal((await wrong.next('error')).code, 'bad_key');
    assert.equal((await wrong.waitClosed()).code, 4003);
    const phone = await FallbackClient.join(server.port, server.code, 'audience');
    await phone.send({ type: 'goto', state: at(1) });
    assert.equal((await phone.next('error')).code, 'forbidden');
    await phone.close();
  });

  it('answers a request for an unknown session with 404 unknown_session', async () => {
    for (const [method, path] of [
      ['POST', '/ld/send?session=nobody.AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/ld/events?session=nobody.AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/ld/poll?session=nobody.AAAAAAAAAAAAAAAAAAAAAA&after=0'],
    ] as const) {
      const answer = await http(server.port, method, path, method === 'POST' ? '{"type":"ping","t":1}' : undefined);
      assert.equal(answer.status, 404, path);
      assert.equal(v.parse(transportErrorSchema, JSON.parse(answer.body)).error, 'unknown_session');
    }
  });

  it('refuses a session to a page on another site (Origin), as a WebSocket upgrade is refused', async () => {
    const answer = await http(server.port, 'POST', '/ld/session', '', { origin: 'http://evil.example' });
    assert.equal(answer.status, 403);
    assert.equal(JSON.parse(answer.body).error, 'forbidden_origin');
    const host = await http(server.port, 'POST', '/ld/session', '', { host: 'evil.example' });
    assert.equal(host.status, 421);
  });

  it('rate-limits a flooding session as a flooding socket', async () => {
    const phone = await FallbackClient.join(server.port, server.code, 'audience');
    const pings = Array.from({ length: 30 }, (_, t) => ({ type: 'ping' as const, t }));
    await phone.send(...pings);
    const limited = await phone.next('error');
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.ref, 'ping');
    await phone.close();
  });

  it('reaps a session that goes silent, as a dead socket is reaped', async () => {
    const fast = await startTestServer({ heartbeatMs: 300 });
    try {
      const presenter = await TestClient.join(fast.port, fast.code, 'presenter', fast.presenterKey);
      const phone = await FallbackClient.join(fast.port, fast.code, 'audience');
      let presence = await presenter.next('presence');
      assert.equal(presence.slow, 1);
      // A phone gone without a word: its stream drops, nothing more is heard from it.
      phone.hangUp();
      presence = await presenter.next('presence', 3000);
      assert.deepEqual([presence.audience, presence.slow], [0, 0]);
      assert.equal((await phone.sendRaw('{"type":"ping","t":1}')).status, 404);
      presenter.close();
    } finally {
      await fast.close();
    }
  });

  it('counts fallback phones for the presenter only, in presence', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const screen = await TestClient.join(server.port, server.code, 'screen');
    const phones = await Promise.all([1, 2].map(() => FallbackClient.join(server.port, server.code, 'audience')));
    const ws = await TestClient.join(server.port, server.code, 'audience');
    let presence = await presenter.next('presence');
    while (presence.audience < 3) presence = await presenter.next('presence');
    assert.equal(v.parse(transportServerSchemas.presence, presence).slow, 2);
    let shown = await screen.next('presence');
    while (shown.audience < 3) shown = await screen.next('presence');
    assert.equal('slow' in shown, false);
    for (const p of phones) await p.close();
    ws.close();
    presenter.close();
    screen.close();
  });
});
