import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });

describe('live sync over a real server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('shows every presenter move to every audience client, in order', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phones = await Promise.all([1, 2, 3].map(() => TestClient.join(server.port, server.code, 'audience')));
    const moves = [at(1), at(1, 0, 0), at(1, 0, 1), at(2), at(2, 1), at(3)];
    for (const state of moves) presenter.send({ type: 'goto', state });
    for (const phone of phones) {
      const seen: DeckState[] = [];
      let lastSeq = -1;
      for (let i = 0; i < moves.length; i++) {
        const msg = await phone.next('deck');
        assert.ok(msg.seq > lastSeq, 'sequence numbers rise');
        lastSeq = msg.seq;
        seen.push(msg.state);
      }
      assert.deepEqual(seen, moves);
    }
    for (const c of [presenter, ...phones]) c.close();
  });

  it('gives a late joiner the current state in its welcome', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: at(2, 1) });
    await presenter.next('deck');
    const late = await TestClient.connect(server.port);
    late.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    const welcome = await late.next('welcome');
    assert.deepEqual(welcome.deck, at(2, 1));
    assert.deepEqual(welcome.talk.stacks, [1, 1, 2, 1]);
    assert.equal(welcome.notes, undefined, 'the audience never gets speaker notes');
    presenter.close();
    late.close();
  });

  it('gives the presenter the speaker notes', async () => {
    const presenter = await TestClient.connect(server.port);
    presenter.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: server.presenterKey });
    const welcome = await presenter.next('welcome');
    assert.match(welcome.notes?.['2/1'] ?? '', /Vertical notes/);
    presenter.close();
  });

  it('refuses a move from an audience connection and changes nothing', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: at(1) });
    await presenter.next('deck');
    const phone = await TestClient.join(server.port, server.code, 'audience');
    phone.send({ type: 'goto', state: at(3) });
    const error = await phone.next('error');
    assert.equal(error.code, 'forbidden');
    assert.equal(error.ref, 'goto');
    const observer = await TestClient.connect(server.port);
    observer.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'screen', talk: server.code });
    assert.deepEqual((await observer.next('welcome')).deck, at(1));
    for (const c of [presenter, phone, observer]) c.close();
  });

  it('refuses a presenter hello with a wrong key and closes with 4003', async () => {
    const intruder = await TestClient.connect(server.port);
    intruder.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: 'x'.repeat(43) });
    assert.equal((await intruder.next('error')).code, 'bad_key');
    assert.equal(await intruder.waitClose(), 4003);
  });

  it('refuses an unknown talk code and another protocol version', async () => {
    const a = await TestClient.connect(server.port);
    a.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: 'NOPE99' });
    assert.equal((await a.next('error')).code, 'unknown_talk');
    assert.equal(await a.waitClose(), 4001);
    const b = await TestClient.connect(server.port);
    b.send({ type: 'hello', v: 99, role: 'audience', talk: server.code });
    assert.equal((await b.next('error')).code, 'version');
  });

  it('accepts the join code in lower case with a dash, as people type it', async () => {
    const phone = await TestClient.connect(server.port);
    phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: `${server.code.slice(0, 3)}-${server.code.slice(3)}`.toLowerCase() });
    assert.equal((await phone.next('welcome')).role, 'audience');
    phone.close();
  });

  it('answers malformed frames with an error and keeps the connection and state', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: at(2) });
    await presenter.next('deck');
    const bad = ['not json', '[]', '{"type":"next"}', '{"type":"goto","state":{"indexh":-1}}', JSON.stringify({ type: 'goto', state: at(99) })];
    const expected = ['bad_json', 'bad_message', 'unknown_type', 'bad_message', 'out_of_range'];
    for (const frame of bad) presenter.sendRaw(frame);
    for (const code of expected) assert.equal((await presenter.next('error')).code, code);
    presenter.send({ type: 'ping', t: 42 });
    assert.equal((await presenter.next('pong')).t, 42, 'the connection is still usable');
    const fresh = await TestClient.connect(server.port);
    fresh.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    assert.deepEqual((await fresh.next('welcome')).deck, at(2), 'nothing changed');
    for (const c of [presenter, fresh]) c.close();
  });

  it('refuses anything but hello and ping before joining', async () => {
    const c = await TestClient.connect(server.port);
    c.send({ type: 'goto', state: at(1) });
    assert.equal((await c.next('error')).code, 'not_joined');
    c.close();
  });

  it('closes a connection that sends a frame above the size limit with 1009', async () => {
    const c = await TestClient.connect(server.port);
    c.sendRaw(JSON.stringify({ type: 'ping', t: 1, pad: 'x'.repeat(MAX_FRAME_BYTES + 10) }));
    assert.equal(await c.waitClose(), 1009);
    const still = await TestClient.join(server.port, server.code, 'audience');
    still.close();
  });

  it('resyncs a dropped client to the state it missed', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await TestClient.join(server.port, server.code, 'audience');
    phone.ws.terminate();
    presenter.send({ type: 'goto', state: at(3) });
    await presenter.next('deck');
    const back = await TestClient.connect(server.port);
    back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    assert.deepEqual((await back.next('welcome')).deck, at(3));
    presenter.close();
    back.close();
  });

  it('tells the presenter how many people are following', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const before = server.relay.connectionCount;
    const phones = await Promise.all([1, 2].map(() => TestClient.join(server.port, server.code, 'audience')));
    const presence = await presenter.next('presence');
    assert.ok(presence.audience >= 2, `audience ${presence.audience}`);
    assert.equal(server.relay.connectionCount, before + 2);
    for (const c of [presenter, ...phones]) c.close();
  });
});

describe('server lifecycle', () => {
  it('closes every socket with 1001 on shutdown', async () => {
    const server = await startTestServer();
    const clients = await Promise.all([1, 2, 3].map(() => TestClient.join(server.port, server.code, 'audience')));
    await server.close();
    for (const c of clients) assert.equal(await c.waitClose(), 1001);
  });

  it('terminates a peer that stops answering pings', async () => {
    const server = await startTestServer({ heartbeatMs: 100 });
    const silent = new TestClient(new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { autoPong: false }));
    await new Promise((resolve) => silent.ws.once('open', resolve));
    const code = await silent.waitClose(2000);
    assert.equal(code, 1006, 'terminated without a close frame');
    await server.close();
  });

  it('pings only peers it has not heard from lately, and keeps both kinds alive', async () => {
    const server = await startTestServer({ heartbeatMs: 200 });
    try {
      const talker = await TestClient.join(server.port, server.code, 'audience');
      const quiet = await TestClient.join(server.port, server.code, 'audience');
      const pings = { talker: 0, quiet: 0 };
      talker.ws.on('ping', () => pings.talker++);
      quiet.ws.on('ping', () => pings.quiet++);
      // The talker sends the browser client's liveness ping, here every 50 ms (a quarter heartbeat).
      const timer = setInterval(() => talker.send({ type: 'ping', t: Date.now() }), 50);
      await new Promise((r) => setTimeout(r, 1500));
      clearInterval(timer);
      assert.equal(pings.talker, 0, 'a peer that keeps talking is not pinged');
      assert.ok(pings.quiet >= 4, `a quiet peer is pinged about once a heartbeat (got ${pings.quiet})`);
      assert.equal(server.relay.connectionCount, 2, 'and both are still connected');
      for (const c of [talker, quiet]) c.close();
    } finally {
      await server.close();
    }
  });
});
