/**
 * The phones of `npm run bench:sse`: thin clients on raw TCP sockets, WebSocket or SSE, that
 * join a talk and stamp when each deck move arrives. Both kinds do the same tiny work per
 * message (find the slide number in the text), so the client side weighs the same on both.
 * Driven over IPC by bench/sse.ts; the clock is CLOCK_MONOTONIC, shared with the orchestrator.
 */
import { request } from 'node:http';
import { createConnection, type Socket } from 'node:net';

export type SseWorkerCommand = { cmd: 'connect'; kind: 'websocket' | 'sse'; port: number; talk: string; phones: number } | { cmd: 'collect'; changes: number } | { cmd: 'exit' };
export type SseWorkerEvent = { ev: 'connected'; joined: number } | { ev: 'collected'; times: number[][] } | { ev: 'error'; message: string };

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const DECK = /"type":"deck","seq":\d+,"state":\{"indexh":(\d+)/g;

class Phone {
  /** Arrival time per slide number. */
  readonly arrivals = new Map<number, number>();
  welcomed = false;
  private text = '';
  socket: Socket | null = null;

  /** Reads what came in as text (frame heads of a WebSocket are a few stray bytes), keeping an unfinished tail. */
  take(chunk: Buffer): void {
    const at = nowUs();
    this.text += chunk.toString('latin1');
    if (!this.welcomed && this.text.includes('"type":"welcome"')) this.welcomed = true;
    let last = 0;
    for (const m of this.text.matchAll(DECK)) {
      this.arrivals.set(Number(m[1]), at);
      last = m.index + m[0].length;
    }
    this.text = this.text.slice(Math.max(last, this.text.length - 256));
  }
}

function hello(talk: string): string {
  return JSON.stringify({ type: 'hello', v: 1, role: 'audience', talk });
}

/** A masked text frame (mask 0: the payload goes as is). */
function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const head = body.length < 126 ? Buffer.from([0x81, 0x80 | body.length, 0, 0, 0, 0]) : Buffer.from([0x81, 0x80 | 126, body.length >> 8, body.length & 255, 0, 0, 0, 0]);
  return Buffer.concat([head, body]);
}

function joinWebSocket(phone: Phone, port: number, talk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    phone.socket = socket;
    socket.setNoDelay(true);
    socket.on('error', reject);
    let upgraded = false;
    socket.on('connect', () => {
      socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        upgraded = true;
        socket.write(frame(hello(talk)));
      }
      phone.take(chunk);
      if (phone.welcomed) resolve();
    });
  });
}

function post(port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function joinSse(phone: Phone, port: number, talk: string): Promise<void> {
  const { session } = JSON.parse(await post(port, '/ld/session', '')) as { session: string };
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    phone.socket = socket;
    socket.setNoDelay(true);
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(`GET /ld/events?session=${session} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      void post(port, `/ld/send?session=${session}`, hello(talk));
    });
    socket.on('data', (chunk: Buffer) => {
      phone.take(chunk);
      if (phone.welcomed) resolve();
    });
  });
}

const phones: Phone[] = [];
const reply = (e: SseWorkerEvent) => process.send!(e);

process.on('message', async (cmd: SseWorkerCommand) => {
  try {
    if (cmd.cmd === 'connect') {
      // 50 at a time: a join storm is not what this measures.
      for (let i = 0; i < cmd.phones; i += 50) {
        const batch = Array.from({ length: Math.min(50, cmd.phones - i) }, () => new Phone());
        await Promise.all(batch.map((p) => (cmd.kind === 'websocket' ? joinWebSocket(p, cmd.port, cmd.talk) : joinSse(p, cmd.port, cmd.talk))));
        phones.push(...batch);
      }
      reply({ ev: 'connected', joined: phones.length });
    } else if (cmd.cmd === 'collect') {
      reply({ ev: 'collected', times: phones.map((p) => Array.from({ length: cmd.changes }, (_, k) => p.arrivals.get(k + 1) ?? -1)) });
    } else {
      for (const p of phones) p.socket?.destroy();
      process.exit(0);
    }
  } catch (err) {
    reply({ ev: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
