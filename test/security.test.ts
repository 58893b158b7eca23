/**
 * Hostile clients against a real server: foreign origins, join-code guessing, floods, slow
 * consumers, oversized and half-sent handshakes, TLS, and the security headers on pages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { loadDeck } from '../server/deck/index.ts';
import { SMALL_DECK, startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });
const UNLIMITED = { goto: { perSecond: 1e6, burst: 1e6 }, frame: { perSecond: 1e6, burst: 1e6 } };

/** Opens a raw TCP connection, writes `request`, and resolves with what came back before close (or timeout). */
function rawExchange(port: number, request: string | Buffer, timeoutMs = 3000): Promise<{ response: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed: false, ms: Date.now() - started });
    }, timeoutMs);
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closed: true, ms: Date.now() - started });
    });
    socket.write(request);
  });
}

function upgradeRequest(port: number, extra = ''): string {
  return (
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

function upgradeStatus(port: number, origin: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe('WebSocket origin check', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ allowOrigins: ['https://talk.example.org'] });
  });
  after(() => server.close());

  it('refuses an upgrade from a foreign page with 403', async () => {
    assert.equal(await upgradeStatus(server.port, 'https://evil.example'), 403);
    assert.equal(await upgradeStatus(server.port, 'null'), 403);
    assert.equal(await upgradeStatus(server.port, `http://127.0.0.1:${server.port + 1}`), 403);
  });

  it('accepts the page host itself, an --allow-origin origin, and clients that send no Origin', async () => {
    assert.equal(await upgradeStatus(server.port, `http://127.0.0.1:${server.port}`), 101);
    assert.equal(await upgradeStatus(server.port, 'https://talk.example.org'), 101);
    assert.equal(await upgradeStatus(server.port, undefined), 101);
  });
});

describe('join code guessing', () => {
  /** Whatever the guard holds back right now, server-wide (zero once every guesser has gone). */
  const heldAnswers = (server: RunningServer) => (server.relay.joinGuard as unknown as { heldTotal: number }).heldTotal;

  it('slows and then refuses wrong codes from an address, while the right code and key from it get in at once', async () => {
    const server = await startTestServer();
    const guessers: TestClient[] = [];
    try {
      // 30 wrong codes at once from 127.0.0.1: the first few answered, the next held back, the rest refused.
      const sentAt = Date.now();
      for (let i = 0; i < 30; i++) {
        const c = await TestClient.connect(server.port);
        c.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: `WRONG${i}` });
        guessers.push(c);
      }
      const firstErrors = await Promise.all(guessers.map((c) => c.next('error', 500).then((e) => e, () => null)));
      const answered = firstErrors.filter((e) => e?.code === 'unknown_talk').length;
      const refused = firstErrors.filter((e) => e?.code === 'too_many_guesses');
      assert.equal(answered, 3, 'the first three wrong codes are answered at once (typos)');
      assert.equal(firstErrors.filter((e) => e === null).length, 16, 'sixteen answers are held back');
      assert.equal(refused.length, 11, 'the rest are refused: one past the held answers, ten past 20 counted guesses');
      assert.ok(refused.every((e) => /^Too many wrong join codes from your network\. Wait \d+ s\.$/.test(e!.message)), refused[0]?.message);
      assert.equal(heldAnswers(server), 16);

      // The room behind the same address: a phone with the right code and the presenter with the key.
      const joinStarted = Date.now();
      const [phone, presenter] = await Promise.all([
        TestClient.join(server.port, server.code, 'audience'),
        TestClient.join(server.port, server.code, 'presenter', server.presenterKey),
      ]);
      const joinMs = Date.now() - joinStarted;
      assert.ok(joinMs < 1000, `both welcomed within a second (took ${joinMs} ms)`);

      // The guesser is still refused...
      const more = await TestClient.connect(server.port);
      more.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: 'WRONG99' });
      const refusal = await more.next('error');
      assert.equal(refusal.code, 'too_many_guesses');
      assert.equal(await more.waitClose(), 4001);
      // ...and a held answer comes late, as a plain wrong code.
      const heldBack = guessers.filter((_, i) => firstErrors[i] === null);
      const late = await Promise.race(heldBack.map((c) => c.next('error', 3000).then((e) => ({ e, ms: Date.now() - sentAt }))));
      assert.equal(late.e.code, 'unknown_talk');
      assert.ok(late.ms >= 900, `the first held answer came after ${late.ms} ms`);

      phone.close();
      presenter.close();
      for (const c of guessers) c.ws.terminate();
      for (let i = 0; i < 100 && heldAnswers(server) > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(heldAnswers(server), 0, 'a guesser that leaves takes its held answers (and their timers) with it');
    } finally {
      for (const c of guessers) c.ws.terminate();
      await server.close();
    }
  });

  it('does the same over HTTP: wrong codes slowed, then 429 with the reason; the right code served at once', async () => {
    const server = await startTestServer();
    const abort = new AbortController();
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const guesses = Array.from({ length: 25 }, (_, i) =>
        fetch(`${base}/join?code=NOPE${i}`, { redirect: 'manual', signal: abort.signal }).then(
          async (res) => ({ status: res.status, text: await res.text() }),
          () => null,
        ),
      );
      const quick = await Promise.all(guesses.map((g) => Promise.race([g, new Promise<null>((r) => setTimeout(() => r(null), 700))])));
      assert.equal(quick.filter((r) => r?.status === 404).length, 3);
      const limited = quick.filter((r) => r?.status === 429);
      assert.equal(limited.length, 6, 'one past the held answers, five past 20 counted guesses');
      assert.match(limited[0]!.text, /Too many wrong join codes from your network\. Wait \d+ s\./);

      const started = Date.now();
      const [audience, presenter] = await Promise.all([fetch(`${base}/j/${server.code}`), fetch(`${base}/presenter/${server.code}`)]);
      assert.deepEqual([audience.status, presenter.status], [200, 200]);
      assert.ok(Date.now() - started < 1000);
      await Promise.all([audience.text(), presenter.text()]);
      const redirect = await fetch(`${base}/join?code=${server.code}`, { redirect: 'manual' });
      assert.equal(redirect.status, 303, 'the join form with the right code too');
      const again = await fetch(`${base}/j/NOPE99`);
      assert.equal(again.status, 429);
      await again.text();
    } finally {
      abort.abort();
      await server.close();
    }
  });
});

describe('sockets per address', () => {
  it('sets no per-address limit by default: a whole venue can sit behind one NAT address', async () => {
    const server = await startTestServer();
    try {
      const open = await Promise.all(Array.from({ length: 40 }, () => TestClient.connect(server.port)));
      assert.equal(await upgradeStatus(server.port, undefined), 101, 'the 41st socket from 127.0.0.1 is taken too');
      for (const c of open) c.ws.close();
    } finally {
      await server.close();
    }
  });

  it('answers 429 past the configured limit, and takes a socket again once one closes', async () => {
    const server = await startTestServer({ maxConnectionsPerAddress: 3 });
    try {
      const open = await Promise.all([1, 2, 3].map(() => TestClient.connect(server.port)));
      assert.equal(await upgradeStatus(server.port, undefined), 429);
      open[0]!.ws.close();
      await open[0]!.waitClose();
      // The server forgets the socket when its TCP connection is gone, a moment after the client's close event.
      for (let i = 0; i < 100 && server.relay.connectionCount > 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(await upgradeStatus(server.port, undefined), 101);
      for (const c of open.slice(1)) c.ws.close();
    } finally {
      await server.close();
    }
  });
});

describe('participant ids invented by one client', () => {
  /** Joins as a phone with this participant id; resolves once its snapshots are in. */
  async function phone(server: RunningServer, participant: string): Promise<TestClient> {
    const c = await TestClient.connect(server.port);
    c.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
    await c.next('welcome');
    await c.next('chat_snapshot');
    return c;
  }

  /** The ack ('ack') or the error code that answers the write with this key. */
  async function answer(c: TestClient, k: string): Promise<string> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const i = c.messages.findIndex((m) => (m.type === 'ack' || m.type === 'error') && m.key === k);
      if (i >= 0) {
        const m = c.messages.splice(i, 1)[0]!;
        return m.type === 'error' ? m.code : 'ack';
      }
      if (Date.now() > deadline) throw new Error(`no answer to ${k}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('buys nothing: reconnecting with a fresh id each time stores at most what one phone may', { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    try {
      let stored = { ask: 0, chat: 0 };
      let refused = 0;
      const until = Date.now() + 3000;
      for (let n = 0; Date.now() < until; n++) {
        const c = await phone(server, `rotating-${n}`);
        for (const kind of ['ask', 'chat'] as const) {
          const k = `${kind}-${n}`;
          if (kind === 'ask') c.send({ type: 'ask', key: k, text: `question ${n}`, slide: { indexh: 0, indexv: 0, indexf: -1 } });
          else c.send({ type: 'chat', key: k, text: `line ${n}` });
          const result = await answer(c, k);
          if (result === 'ack') stored = { ...stored, [kind]: stored[kind] + 1 };
          else refused++;
        }
        c.close();
        await c.waitClose();
      }
      const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
      const questions = (await presenter.next('qa_snapshot')).questions.length;
      const lines = (await presenter.next('chat_snapshot')).lines.length;
      assert.deepEqual({ ask: questions, chat: lines }, stored, 'what was acknowledged is what is stored');
      // One phone may ask 3 a minute and chat 10 per 30 s; a connection closing as the next one
      // writes can overlap it, so at most two phones' worth.
      assert.ok(questions <= 6 && lines <= 20, `stored ${questions} questions and ${lines} chat lines`);
      assert.ok(refused > 10, `and refused the rest (${refused})`);
      presenter.close();
    } finally {
      await server.close();
    }
  });

  it('refuses none of many phones behind one address writing at human rates', { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    try {
      const phones = await Promise.all(Array.from({ length: 60 }, (_, i) => phone(server, `venue-${i}`)));
      const results = await Promise.all(
        phones.map(async (c, i) => {
          const out: string[] = [];
          c.send({ type: 'ask', key: `q${i}`, text: `question from phone ${i}`, slide: { indexh: 0, indexv: 0, indexf: -1 } });
          out.push(await answer(c, `q${i}`));
          for (let j = 0; j < 3; j++) {
            c.send({ type: 'chat', key: `c${i}-${j}`, text: `hello ${j} from ${i}` });
            out.push(await answer(c, `c${i}-${j}`));
          }
          return out;
        }),
      );
      assert.deepEqual(results.flat().filter((r) => r !== 'ack'), []);
      for (const c of phones) c.close();
    } finally {
      await server.close();
    }
  });
});

describe('message floods', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers a flooding client with rate_limited, then disconnects it with 1008; others do not notice', async () => {
    const calm = await TestClient.join(server.port, server.code, 'audience');
    const flood = await TestClient.join(server.port, server.code, 'audience');
    for (let i = 0; i < 500; i++) {
      if (flood.ws.readyState !== WebSocket.OPEN) break;
      flood.send({ type: 'ping', t: i });
    }
    assert.equal(await flood.waitClose(), 1008);
    const codes = new Set(flood.messages.filter((m) => m.type === 'error').map((m) => (m.type === 'error' ? m.code : '')));
    assert.deepEqual([...codes], ['rate_limited']);
    const t0 = Date.now();
    calm.send({ type: 'ping', t: 7 });
    assert.equal((await calm.next('pong')).t, 7);
    assert.ok(Date.now() - t0 < 500);
    calm.close();
  });

  it('lets a presenter step through slides fast without being limited', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    // Slide 1 of the small deck has two fragment steps: forth and back through them, as a clicker does.
    for (let i = 0; i < 40; i++) presenter.send({ type: 'goto', state: at(1, 0, (i % 3) - 1) });
    for (let i = 0; i < 40; i++) await presenter.next('deck');
    assert.equal(presenter.messages.filter((m) => m.type === 'error').length, 0);
    presenter.close();
  });
});

describe('slow consumer', () => {
  it('drops a client that stops reading; the others get every message at the usual latency', { timeout: 60_000 }, async () => {
    // The fragment index is the marker of each move, so the deck has enough fragment steps for every marker.
    const small = await loadDeck(SMALL_DECK);
    const server = await startTestServer({ rates: UNLIMITED, deck: { ...small, fragments: [[10_000], [1_000], ...small.fragments.slice(2)] } });
    try {
      const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
      const phones = await Promise.all([1, 2, 3, 4, 5].map(() => TestClient.join(server.port, server.code, 'audience')));
      // A raw client: completes the handshake and joins, then never reads again.
      const slow: Socket = connect(server.port, '127.0.0.1');
      slow.on('error', () => undefined);
      await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
      slow.write(upgradeRequest(server.port));
      await new Promise<void>((resolve) => slow.once('data', () => resolve()));
      const hello = Buffer.from(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code }));
      const mask = Buffer.from([1, 2, 3, 4]);
      const masked = Buffer.from(hello.map((b, i) => b ^ mask[i % 4]!));
      slow.write(Buffer.concat([Buffer.from([0x81, 0x80 | hello.length]), mask, masked]));
      await new Promise((r) => setTimeout(r, 100));
      slow.pause();
      const before = server.relay.connectionCount;
      // A paused socket never reads its EOF, so the drop is seen from the server side.
      const dropped = () => server.relay.connectionCount === before - 1;

      /** Moves the presenter to marker slides at a talk's pace; returns phone-0's latency for each (ms). */
      const paced = async (n: number, from: number): Promise<number[]> => {
        const latencies: number[] = [];
        for (let i = from; i < from + n; i++) {
          const t0 = performance.now();
          presenter.send({ type: 'goto', state: at(1, 0, i) });
          for (;;) {
            const m = await phones[0]!.next('deck');
            if (m.state.indexh === 1 && m.state.indexf === i) break;
          }
          latencies.push(performance.now() - t0);
        }
        return latencies;
      };
      const calm = await paced(100, 0);
      // A burst big enough to fill the kernel's socket buffers of the client that does not read.
      const flood = 120_000;
      // Sent in slices so the reading phones (in this same process) get to read in between, as real phones would.
      for (let i = 0; i < flood; i++) {
        presenter.send({ type: 'goto', state: at(0, 0, i % 10_000) });
        if (i % 500 === 499) await new Promise((r) => setTimeout(r, 1));
      }
      const during = await paced(100, 100);
      const deadline = Date.now() + 20_000;
      while (!dropped() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const slowClosed = dropped();
      console.log(
        `# slow consumer: phone p50 latency ${p50(calm).toFixed(2)} ms before, ${p50(during).toFixed(2)} ms right after a ${flood}-move burst; slow client dropped: ${slowClosed}`,
      );
      assert.ok(slowClosed, 'the slow client was dropped');
      slow.resume();
      await new Promise<void>((resolve) => (slow.destroyed ? resolve() : slow.once('close', () => resolve())));
      const expected = 100 + flood + 100;
      for (const phone of phones.slice(1)) {
        const deadlineAll = Date.now() + 10_000;
        while (phone.messages.filter((m) => m.type === 'deck').length < expected && Date.now() < deadlineAll) await new Promise((r) => setTimeout(r, 50));
        assert.equal(phone.messages.filter((m) => m.type === 'deck').length, expected, 'every other phone got every move');
      }
      for (const c of [presenter, ...phones]) c.close();
      slow.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('hostile handshakes', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const alive = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(res.status, 200);
  };

  it('refuses 2000 header lines quickly', async () => {
    const extra = Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const r = await rawExchange(server.port, upgradeRequest(server.port, extra));
    assert.match(r.response, /^HTTP\/1\.1 431/);
    assert.ok(r.closed && r.ms < 1000, `${r.ms} ms`);
    await alive();
  });

  it('refuses a 32 KB Sec-WebSocket-Protocol quickly', async () => {
    const r = await rawExchange(server.port, upgradeRequest(server.port, `Sec-WebSocket-Protocol: ${'a,'.repeat(16 * 1024)}a\r\n`));
    assert.match(r.response, /^HTTP\/1\.1 431/);
    assert.ok(r.closed && r.ms < 1000);
    await alive();
  });

  it('closes a message fragmented past the size limit with 1009', async () => {
    const c = await TestClient.connect(server.port);
    const piece = 'x'.repeat(4096);
    for (let i = 0; i < 8; i++) c.ws.send(piece, { fin: i === 7 });
    assert.equal(await c.waitClose(), 1009);
    await alive();
  });

  it('closes half-sent upgrades (slowloris) within the headers timeout', { timeout: 20_000 }, async () => {
    const sockets = Array.from({ length: 50 }, () => {
      const s = connect(server.port, '127.0.0.1');
      s.on('error', () => undefined);
      s.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
      return s;
    });
    const started = Date.now();
    const drip = setInterval(() => sockets.forEach((s) => s.writable && s.write('X-Drip: 1\r\n')), 500);
    const closedAfter = await Promise.all(sockets.map((s) => new Promise<number>((resolve) => s.once('close', () => resolve(Date.now() - started)))));
    clearInterval(drip);
    const slowest = Math.max(...closedAfter);
    console.log(`# slowloris: 50 half-sent upgrades closed within ${slowest} ms`);
    assert.ok(slowest < 8000, `${slowest} ms`);
    await alive();
  });
});

describe('pages', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('carry a Content-Security-Policy without inline scripts, web images, media and frames but no web scripts, and nosniff, no-referrer, frame-ancestors', async () => {
    for (const path of ['/', `/j/${server.code}`, `/presenter/${server.code}`, `/screen/${server.code}`]) {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
      await res.text();
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${server.port} wss://127\\.0\\.0\\.1:${server.port}`));
      assert.doesNotMatch(csp, /unsafe-eval/);
      // Pictures, media and frames from the web (http: too, as reveal.js loads them); never scripts, styles or sockets.
      const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';
      for (const name of ['img-src', 'media-src', 'frame-src']) assert.match(directive(name), / https: http:(\s|$)/, `${path} ${name}`);
      for (const name of ['script-src', 'style-src', 'connect-src', 'default-src']) {
        assert.doesNotMatch(directive(name), / https?:(\s|$)/, `${path} ${name} allows no whole scheme`);
      }
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
  });

  it('are sent gzipped to browsers that accept it, byte for byte the same page, never cached', async () => {
    /** Raw bytes and headers: fetch would undo the compression under test. */
    const raw = (path: string, encoding: string | null) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const headers = encoding ? { 'accept-encoding': encoding } : {};
        httpGet({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    for (const path of [`/j/${server.code}`, `/screen/${server.code}`, `/presenter/${server.code}`, `/moderator/${server.code}`]) {
      const plain = await raw(path, null);
      const zipped = await raw(path, 'gzip, deflate, br');
      assert.equal(plain.headers['content-encoding'], undefined, path);
      assert.equal(zipped.headers['content-encoding'], 'gzip', path);
      assert.equal(zipped.headers.vary, 'accept-encoding');
      assert.equal(zipped.headers['cache-control'], 'no-store');
      assert.match(String(zipped.headers['content-type']), /^text\/html/);
      assert.ok(zipped.body.length < plain.body.length, `${path}: ${zipped.body.length} of ${plain.body.length} bytes`);
      assert.equal(gunzipSync(zipped.body).toString(), plain.body.toString());
      assert.match(plain.body.toString(), /<section/, 'the page holds the deck');
    }
  });

  it('refuses request bodies above the limit', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/join`, { method: 'POST', body: 'x'.repeat(200 * 1024) });
    assert.equal(res.status, 413);
  });
});

describe('TLS', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'livedeck-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves https and wss with --cert and --key', async () => {
    const server = await startTestServer({ tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } });
    const ca = readFileSync(join(dir, 'cert.pem'));
    try {
      assert.match(server.urls.presenter, /^https:\/\//);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port: server.port, path: `/j/${server.code}`, ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, { ca });
      const client = new TestClient(ws);
      await new Promise((resolve) => ws.once('open', resolve));
      client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
      assert.equal((await client.next('welcome')).role, 'audience');
      client.close();
      const plain = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
      assert.doesNotMatch(plain.response, /^HTTP\/1\.1 200/, 'no plain http on the TLS port');
    } finally {
      await server.close();
    }
  });
});
