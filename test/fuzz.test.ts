/**
 * 100 000 random and schema-breaking frames against a real server: no crash, every frame
 * answered with an error (or the socket closed with a clear code), memory flat.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CLOSE_CODES, MAX_FRAME_BYTES } from '../protocol/messages.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const TOTAL = Number(process.env.LIVEDECK_FUZZ_FRAMES ?? 100_000);
const CONNECTIONS = 10;
const CHUNK = 500;
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A small deterministic PRNG, so a failure can be replayed with the same seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [null, true, -1, 1.5, 1e308, -0, '', 'x'.repeat(300), [], {}, { __proto__: { polluted: 1 } }, '\u0000', '\ud800', [[[[[]]]]], 'NaN'];

function frame(rand: () => number): string | Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  switch (Math.floor(rand() * 8)) {
    case 0: // random bytes as text
      return Array.from({ length: 1 + Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 0xffff))).join('');
    case 1: // JSON that is not an object
      return JSON.stringify(pick([[], 42, 'goto', null, [1, { type: 'goto' }], true]));
    case 2: // unknown or prototype types
      return JSON.stringify({ type: pick(['next', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'GOTO', 'hello ']) });
    case 3: // goto with broken state
      return JSON.stringify({ type: 'goto', state: { indexh: pick(NASTY), indexv: 0, indexf: -1, paused: false, overview: false } });
    case 4: // hello with a broken version or role
      return JSON.stringify({ type: 'hello', v: pick(['1', null, [], 1.5]), role: pick(['audience', 'admin', null]), talk: pick(NASTY) });
    case 5: // ping with a non-number
      return JSON.stringify({ type: 'ping', t: pick(['1', null, [], {}, 'NaN']) });
    case 6: // deep nesting
      return `${'['.repeat(1000 + Math.floor(rand() * 3000))}${']'.repeat(10)}`;
    default: // binary
      return Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
  }
}

describe('fuzzing the WebSocket endpoint', () => {
  it(`answers ${TOTAL} hostile frames with errors, stays up, and keeps memory flat`, { timeout: 300_000 }, async () => {
    const server = await startTestServer({ rates: { frame: UNLIMITED, invalid: UNLIMITED, strikes: UNLIMITED, default: UNLIMITED } });
    try {
      gc();
      const rssBefore = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      let answered = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, n) => {
          const rand = prng(n + 1);
          let client = await TestClient.connect(server.port);
          for (let sent = 0; sent < TOTAL / CONNECTIONS; sent += CHUNK) {
            for (let i = 0; i < CHUNK; i++) client.sendRaw(frame(rand));
            for (let i = 0; i < CHUNK; i++) {
              const reply = await client.next('error', 10_000);
              assert.ok(reply.code, 'every error has a code');
              answered++;
            }
            client.messages.length = 0;
          }
          // Anything above the limit is closed with 1009, not answered.
          client.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
          assert.equal(await client.waitClose(), CLOSE_CODES.tooBig);
          client = await TestClient.connect(server.port);
          client.send({ type: 'ping', t: n });
          assert.equal((await client.next('pong')).t, n, 'still serving');
          client.close();
        }),
      );
      gc();
      const rssAfter = process.memoryUsage().rss;
      const heapAfter = process.memoryUsage().heapUsed;
      const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
      console.log(
        `# fuzz: ${answered} frames answered in ${Date.now() - started} ms; RSS ${mb(rssBefore)} -> ${mb(rssAfter)} MiB, heap ${mb(heapBefore)} -> ${mb(heapAfter)} MiB`,
      );
      assert.equal(answered, TOTAL);
      assert.ok(heapAfter - heapBefore < 32 * 1024 * 1024, 'heap did not grow with the number of frames');
    } finally {
      await server.close();
    }
  });
});
