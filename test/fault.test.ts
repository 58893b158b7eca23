/**
 * A link that goes silent without closing (blackholed by a proxy): both sides notice within
 * their heartbeat budgets, and the client comes back and catches up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });
const HEARTBEAT_MS = 200;
/** The client's own liveness budget, like client/connection.ts (5 s ping, 12 s silence) scaled down. */
const CLIENT_PING_MS = 100;
const CLIENT_SILENCE_MS = 600;

describe('a blackholed connection', () => {
  it('is noticed by the server and by the client within the heartbeat budgets, and the client recovers', { timeout: 20_000 }, async () => {
    const server = await startTestServer({ heartbeatMs: HEARTBEAT_MS });
    const proxy = new FaultProxy(server.port);
    await proxy.listen();
    // The proxy is a hop on the path, not a name of the server: the phone asks for the server's host.
    const viaProxy = () => new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`, { headers: { host: `127.0.0.1:${server.port}` } });
    try {
      const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
      const phone = new TestClient(viaProxy());
      await new Promise((resolve) => phone.ws.once('open', resolve));
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
      await phone.next('welcome');
      presenter.send({ type: 'goto', state: at(1) });
      const lastSeq = (await phone.next('deck')).seq;

      let lastHeard = Date.now();
      phone.ws.on('message', () => (lastHeard = Date.now()));
      const before = server.relay.connectionCount;
      const cutAt = Date.now();
      proxy.blackhole();
      // Server side, watched from the cut on: the peer answers no ping, so it is terminated
      // within 2.5 heartbeats (Relay.beat), plus a tick of the spread-out pass.
      const serverNoticedAt = (async () => {
        const deadline = cutAt + 5 * HEARTBEAT_MS;
        while (server.relay.connectionCount !== before - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        return Date.now() - cutAt;
      })();

      // Client side: app pings, and a silence limit, as the browser client does.
      const clientNoticed = await new Promise<number>((resolve) => {
        const timer = setInterval(() => {
          if (phone.ws.readyState === WebSocket.OPEN) phone.ws.send(JSON.stringify({ type: 'ping', t: Date.now() }));
          if (Date.now() - lastHeard > CLIENT_SILENCE_MS) {
            clearInterval(timer);
            phone.ws.terminate();
            resolve(Date.now() - cutAt);
          }
        }, CLIENT_PING_MS);
      });
      const serverNoticed = await serverNoticedAt;
      console.log(`# blackhole: server dropped the peer after ${serverNoticed} ms (heartbeat ${HEARTBEAT_MS} ms), client after ${clientNoticed} ms (silence limit ${CLIENT_SILENCE_MS} ms)`);
      assert.equal(server.relay.connectionCount, before - 1, 'the server dropped the dead peer');
      assert.ok(serverNoticed <= 3 * HEARTBEAT_MS + 100);
      assert.ok(clientNoticed <= CLIENT_SILENCE_MS + 2 * CLIENT_PING_MS + 100);

      presenter.send({ type: 'goto', state: at(3) });
      await presenter.next('deck');
      const back = new TestClient(viaProxy());
      await new Promise((resolve) => back.ws.once('open', resolve));
      back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, lastSeq });
      await back.next('resumed');
      assert.deepEqual((await back.next('deck')).state, at(3), 'it caught up with what it missed');
      for (const c of [presenter, back]) c.close();
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
