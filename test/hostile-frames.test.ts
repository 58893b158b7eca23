/**
 * Frames no honest client sends, against a real server over raw TCP: messages dribbled in
 * thousands of tiny fragments, and oversize, invalid UTF-8 and unmasked frames sent while the
 * server still has replies queued for the sender.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CLOSE_CODES, MAX_FRAME_BYTES } from '../protocol/messages.ts';
import { MAX_FRAGMENTS } from '../server/relay/relay.ts';
import { clientFrame, openRawWebSocket, type RawWebSocket } from './support/raw-ws.ts';
import { startTestServer } from './support/server.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

/** The attack's shape: the first byte of a text message, then one-byte continuations, never a final one. */
function unfinishedMessage(fragments: number): Buffer {
  const first = clientFrame(1, 'x', { fin: false });
  const next = clientFrame(0, 'x', { fin: false });
  return Buffer.concat([first, ...Array.from({ length: fragments - 1 }, () => next)]);
}

async function closedWithin(raw: RawWebSocket, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const closed = await Promise.race([raw.closed.then(() => true as const), timeout]);
  clearTimeout(timer);
  return closed;
}

describe('a message in many fragments', () => {
  it(`is closed with 1008 past ${MAX_FRAGMENTS} fragments, long before 16 000 one-byte fragments are held`, async () => {
    const server = await startTestServer();
    try {
      const raw = await openRawWebSocket(server.port);
      raw.socket.write(unfinishedMessage(16_000));
      assert.ok(await closedWithin(raw, 5000), 'the server closed the socket');
      assert.equal(raw.closeCode(), CLOSE_CODES.policy);
    } finally {
      await server.close();
    }
  });

  it('leaves the server near its baseline memory after 200 such connections have closed', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    try {
      const connections = 200;
      const message = unfinishedMessage(16_000);
      gc();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      const raws = await Promise.all(Array.from({ length: connections }, () => openRawWebSocket(server.port)));
      for (const raw of raws) raw.socket.write(message);
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const closed = await Promise.all(raws.map((raw) => closedWithin(raw, 20_000)));
      clearInterval(sampler);
      for (let i = 0; i < 100 && server.relay.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
      // Buffers are freed by the collection after the one that finds them unreachable.
      gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      const after = process.memoryUsage();
      console.log(
        `# fragments: ${connections} connections x 16 000 one-byte fragments: RSS ${mb(before.rss)} -> peak ${mb(peakRss)} -> ${mb(after.rss)} MiB after close, ` +
          `heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MiB, external ${mb(before.external + before.arrayBuffers)} -> ${mb(after.external + after.arrayBuffers)} MiB`,
      );
      assert.equal(closed.filter(Boolean).length, connections, 'every such connection was closed by the server');
      assert.deepEqual(new Set(raws.map((raw) => raw.closeCode())), new Set([CLOSE_CODES.policy]));
      assert.equal(server.relay.connectionCount, 0);
    } finally {
      await server.close();
    }
  });
});

describe('a refused frame behind queued replies', () => {
  const PINGS = 100_000;
  const bad: Array<[string, Buffer, number]> = [
    // The header says more than the limit; ws refuses on reading the header.
    ['an oversize frame', clientFrame(1, 'x'.repeat(MAX_FRAME_BYTES + 1024)), 1009],
    ['a text frame that is not UTF-8', clientFrame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['an unmasked frame', clientFrame(1, '{"type":"ping","t":1}', { masked: false }), 1002],
  ];
  for (const [what, frame, code] of bad) {
    it(`closes ${what} with ${code} after every queued reply, not with 1006`, { timeout: 30_000 }, async () => {
      const server = await startTestServer({ rates: { frame: UNLIMITED, ping: UNLIMITED }, slowConsumerBytes: 256 * 1024 * 1024 });
      try {
        const raw = await openRawWebSocket(server.port);
        // The client stops reading, so the pongs pile up in the kernel's buffers and then in the server's queue.
        raw.socket.pause();
        const pings = Buffer.concat(Array.from({ length: PINGS }, (_, i) => clientFrame(1, `{"type":"ping","t":${i}}`)));
        raw.socket.write(Buffer.concat([pings, frame]));
        await new Promise((r) => setTimeout(r, 300));
        // A client that keeps sending after its bad frame: bytes reaching a socket the server has
        // already destroyed make the kernel answer with a reset, which throws away the replies
        // still queued and the close frame behind them.
        raw.socket.write(pings.subarray(0, 64 * 1024));
        await new Promise((r) => setTimeout(r, 300));
        raw.socket.resume();
        assert.ok(await closedWithin(raw, 10_000), 'the server closed the socket');
        const pongs = raw.frames.filter((f) => f.opcode === 1).length;
        console.log(`# ${what}: ${pongs} of ${PINGS} pongs, then close ${raw.closeCode()}`);
        assert.equal(pongs, PINGS, 'every reply queued before the bad frame arrived, and nothing sent after it was answered');
        assert.equal(raw.closeCode(), code);
      } finally {
        await server.close();
      }
    });
  }
});
