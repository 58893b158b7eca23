import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROTOCOL_VERSION } from '../protocol/messages.ts';
import type { PairResponse } from '../protocol/speaker.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1) => ({ indexh, indexv, indexf, paused: false, overview: false });

async function pairingToken(console: TestClient): Promise<string> {
  console.send({ type: 'pairRemote' });
  return (await console.next('remotePairing')).token;
}

async function pair(server: RunningServer, token: string, name = 'Test phone'): Promise<{ status: number; body: PairResponse & { error?: string } }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/remote/${server.code}/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, name }),
  });
  return { status: res.status, body: (await res.json()) as PairResponse & { error?: string } };
}

/** The console with its greeting (timer and paired remotes) read, so later messages are news. */
async function consoleOf(server: RunningServer): Promise<TestClient> {
  const c = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  await c.next('timerState');
  await c.next('remoteDevices');
  return c;
}

async function remote(server: RunningServer, credential: string): Promise<TestClient> {
  return TestClient.join(server.port, server.code, 'presenter', credential);
}

describe('a phone paired as a remote', () => {
  let server: RunningServer;
  const open: TestClient[] = [];
  const track = (c: TestClient) => (open.push(c), c);
  before(async () => {
    server = await startTestServer({ pairingTtlMs: 300 });
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  it('pairs once with the QR code token; a second scan of the same code is refused', async () => {
    const console = track(await consoleOf(server));
    const token = await pairingToken(console);
    const first = await pair(server, token, 'Ada’s phone');
    assert.equal(first.status, 200);
    assert.match(first.body.credential, /^[\w-]+\.[\w-]+$/);
    assert.notEqual(first.body.credential, server.presenterKey);
    const listed = await console.next('remoteDevices');
    assert.deepEqual(listed.devices.map((d) => [d.id, d.name]), [[first.body.device, 'Ada’s phone']]);
    const second = await pair(server, token);
    assert.equal(second.status, 403);
    assert.match(second.body.error ?? '', /already used or has expired/);
  });

  it('refuses an expired token', async () => {
    const console = track(await TestClient.join(server.port, server.code, 'presenter', server.presenterKey));
    const token = await pairingToken(console);
    await sleep(400);
    const late = await pair(server, token);
    assert.equal(late.status, 403);
  });

  it('refuses a made-up token and a malformed body without pairing anything', async () => {
    const console = track(await TestClient.join(server.port, server.code, 'presenter', server.presenterKey));
    const before = (await console.next('remoteDevices')).devices.length;
    assert.equal((await pair(server, 'not-a-real-token')).status, 403);
    const res = await fetch(`http://127.0.0.1:${server.port}/remote/${server.code}/pair`, { method: 'POST', body: '{"token": 5}' });
    assert.equal(res.status, 400);
    const again = track(await TestClient.join(server.port, server.code, 'presenter', server.presenterKey));
    assert.equal((await again.next('remoteDevices')).devices.length, before);
  });

  it('moves the deck for everyone, with its own credential', async () => {
    const console = track(await TestClient.join(server.port, server.code, 'presenter', server.presenterKey));
    const phone = track(await TestClient.join(server.port, server.code, 'audience'));
    const { body } = await pair(server, await pairingToken(console));
    const hand = track(await remote(server, body.credential));
    hand.send({ type: 'goto', state: at(2, 1) });
    assert.deepEqual((await phone.next('deck')).state, at(2, 1));
    assert.deepEqual((await console.next('deck')).state, at(2, 1));
  });

  it('may not pair more remotes or unpair any: only the presenter link does', async () => {
    const console = track(await TestClient.join(server.port, server.code, 'presenter', server.presenterKey));
    const { body } = await pair(server, await pairingToken(console));
    const hand = track(await remote(server, body.credential));
    hand.send({ type: 'pairRemote' });
    const refused = await hand.next('error');
    assert.equal(refused.code, 'forbidden');
    hand.send({ type: 'revokeRemote', device: body.device });
    assert.equal((await hand.next('error')).code, 'forbidden');
  });

  it('loses control at once when revoked: its connection closes, its move is not applied, its credential is refused', async () => {
    const console = track(await consoleOf(server));
    const phone = track(await TestClient.join(server.port, server.code, 'audience'));
    const { body } = await pair(server, await pairingToken(console));
    await console.next('remoteDevices');
    const hand = track(await remote(server, body.credential));
    hand.send({ type: 'goto', state: at(1) });
    await phone.next('deck');
    console.send({ type: 'revokeRemote', device: body.device });
    const told = await hand.next('error');
    assert.equal(told.code, 'revoked');
    assert.equal(await hand.waitClose(), 4003);
    // A move sent after the revocation never reaches anyone.
    if (hand.ws.readyState === hand.ws.OPEN) hand.send({ type: 'goto', state: at(3) });
    const listed = await console.next('remoteDevices');
    assert.ok(!listed.devices.some((d) => d.id === body.device));
    await assert.rejects(phone.next('deck', 200));
    const back = track(await TestClient.connect(server.port));
    back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: body.credential });
    assert.equal((await back.next('error')).code, 'bad_key');
    assert.equal(await back.waitClose(), 4003);
  });
});

describe('the talk timer held by the server', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(joinPath(tmpdir(), 'livedeck-timer-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the console and a paired phone the same time, and survives a reload and a restart', async () => {
    let server = await startTestServer({ dataDir });
    const console = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const first = await console.next('timerState');
    assert.deepEqual([first.running, first.elapsed], [false, 0]);
    const { body } = await pair(server, await pairingToken(console));
    const hand = await remote(server, body.credential);
    await hand.next('timerState');
    hand.send({ type: 'timer', action: 'start' });
    const seen = [await console.next('timerState'), await hand.next('timerState')];
    assert.deepEqual(seen.map((m) => m.running), [true, true]);
    await sleep(300);
    console.send({ type: 'timer', action: 'pause' });
    const paused = await hand.next('timerState');
    assert.equal(paused.running, false);
    assert.ok(paused.elapsed >= 250, `paused at ${paused.elapsed} ms`);
    // A reload: a new console connection gets the timer as it stands.
    const reloaded = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    assert.equal((await reloaded.next('timerState')).elapsed, paused.elapsed);
    reloaded.send({ type: 'timer', action: 'start' });
    await reloaded.next('timerState');
    for (const c of [console, hand, reloaded]) c.close();
    await server.close();

    server = await startTestServer({ dataDir });
    try {
      const after = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
      const restored = await after.next('timerState');
      assert.equal(restored.running, true);
      assert.ok(restored.elapsed >= paused.elapsed, `${restored.elapsed} after ${paused.elapsed}`);
      // The paired phone is still paired after the restart.
      const phoneAgain = await remote(server, body.credential);
      assert.equal((await phoneAgain.next('timerState')).running, true);
      after.send({ type: 'timer', action: 'reset' });
      const reset = await phoneAgain.next('timerState');
      assert.deepEqual([reset.running, reset.elapsed], [false, 0]);
      after.close();
      phoneAgain.close();
    } finally {
      await server.close();
    }
  });

  it('is not for the audience to run', async () => {
    const server = await startTestServer();
    try {
      const phone = await TestClient.join(server.port, server.code, 'audience');
      phone.send({ type: 'timer', action: 'start' });
      assert.equal((await phone.next('error')).code, 'forbidden');
      phone.send({ type: 'pairRemote' });
      assert.equal((await phone.next('error')).code, 'forbidden');
      phone.close();
    } finally {
      await server.close();
    }
  });
});

describe('reaction totals on the console', () => {
  it('survive a reload: a new presenter welcome carries the totals so far', async () => {
    const server = await startTestServer();
    try {
      const console = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
      const phone = await TestClient.join(server.port, server.code, 'audience');
      phone.send({ type: 'react', reaction: 'clap' });
      phone.send({ type: 'react', reaction: 'clap' });
      phone.send({ type: 'react', reaction: 'wow' });
      let seen = 0;
      while (seen < 3) {
        const m = await console.next('reactions');
        seen += Object.values(m.counts).reduce((a, b) => a + (b ?? 0), 0);
      }
      const reloaded = await TestClient.connect(server.port);
      reloaded.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: server.presenterKey });
      const welcome = await reloaded.next('welcome');
      assert.deepEqual(welcome.reactions, { clap: 2, wow: 1 });
      const audienceWelcome = (await TestClient.connect(server.port));
      audienceWelcome.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
      assert.equal((await audienceWelcome.next('welcome')).reactions, undefined);
      for (const c of [console, phone, reloaded, audienceWelcome]) c.close();
    } finally {
      await server.close();
    }
  });
});
