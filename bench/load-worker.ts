/**
 * One load-generator process (bench/run.ts forks two). Holds thousands of thin WebSocket clients that
 * speak livedeck's real protocol: hello → welcome snapshot → deck messages. Driven over IPC.
 *
 * Clock: process.hrtime is CLOCK_MONOTONIC on Linux, which is system-wide, so the presenter's
 * send stamp in one process and a phone's receive stamp in another are comparable.
 */
import { createConnection, type Socket } from 'node:net';

export type WorkerCommand =
  | { cmd: 'connect'; worker: number; url: string; talk: string; audience: number; presenterKey: string | null; concurrency: number; addressBlock: number }
  | { cmd: 'send'; change: number }
  | { cmd: 'sustain'; first: number; count: number; intervalMs: number }
  | { cmd: 'collect'; change: number; timeoutMs: number }
  | { cmd: 'vote'; spreadMs: number; settleMs: number; poll: string; options: number; voters?: number }
  | { cmd: 'disturb'; freezeEvery: number; pingEveryMs: number }
  | { cmd: 'ask'; text: string }
  | { cmd: 'upvote'; question: string; voters: number; spreadMs: number; settleMs: number }
  | { cmd: 'drop' }
  | { cmd: 'reconnect'; url: string; talk: string; concurrency: number; addressBlock: number }
  | { cmd: 'pointer'; rateHz: number; seconds: number; settleMs: number }
  | { cmd: 'exit' };

export type WorkerEvent =
  | { ev: 'connected'; joined: number; failed: number; startUs: number; endUs: number }
  | { ev: 'sent'; change: number; atUs: number }
  | { ev: 'sustained'; sent: Array<{ change: number; atUs: number }> }
  | { ev: 'collected'; change: number; received: number; expected: number; times: number[]; unavailable: number }
  | { ev: 'voted'; sent: number; startUs: number; results: Array<{ atUs: number; ballots: number }> }
  | { ev: 'disturbed'; frozen: number; pinging: number }
  | { ev: 'asked'; question: string }
  | { ev: 'upvoted'; sent: number; bystanders: number[]; lastVotes: number[] }
  | { ev: 'dropped'; phones: number }
  | { ev: 'reconnected'; joined: number; resumed: number; failed: number; startUs: number; endUs: number }
  | { ev: 'pointed'; sent: number; startUs: number; endUs: number; pointer: number[]; all: number[] }
  | { ev: 'error'; message: string };

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);


/**
 * A deliberately thin WebSocket client (RFC 6455, text frames only): a raw TCP socket, a fixed
 * upgrade request, a zero mask on what it sends and a few lines of frame parsing. The `ws`
 * client costs several times more CPU per message and per handshake, and on a 2-core machine
 * that would be measured as server latency. Each client binds its own loopback source address
 * per thousand (127.0.0.0/8 is all loopback), as phones on a venue network come from many.
 */
class Client {
  private rest: Buffer | null = null;
  private joined = false;
  /** Deck changes credited so far (see text); a reconnecting client carries on from the old one's. */
  seen = 0;
  /** The highest seq seen in a welcome or a deck message: what a phone sends as lastSeq when it comes back. */
  lastSeq = 0;
  /** Whether the server answered the hello with `resumed` (the missed messages) rather than a `welcome`. */
  resumed = false;
  open = false;
  frozen = false;
  /** `question` messages since the last reset, and the vote count the newest one showed. */
  questionMessages = 0;
  lastVotes = -1;
  /** Text frames since the last reset, and how many of them were `pointer` updates (the pointer mode). */
  framesIn = 0;
  pointerMessages = 0;

  constructor(
    readonly socket: Socket,
    private readonly index: number,
    private readonly onWelcome: () => void,
    private readonly onGone: () => void,
    private readonly onOpen: () => void,
  ) {
    let upgraded = false;
    socket.setNoDelay(true);
    socket.on('error', () => this.gone());
    socket.on('close', () => this.gone());
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) return this.frames(chunk);
      const text = chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return; // Handshake replies are tiny; they arrive in one chunk on loopback.
      if (!text.startsWith('HTTP/1.1 101')) return socket.destroy();
      upgraded = true;
      this.open = true;
      this.onOpen();
      if (chunk.length > end + 4) this.frames(chunk.subarray(end + 4));
    });
  }

  send(text: string): void {
    if (!this.open) return;
    const payload = Buffer.from(text);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len, 0, 0, 0, 0]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255, 0, 0, 0, 0]);
    // A zero masking key is valid and leaves the payload as is.
    this.socket.write(Buffer.concat([head, payload]));
  }

  /** Stops reading: the kernel buffers fill, then the server's queue for this socket grows. */
  freeze(): void {
    this.frozen = true;
    this.socket.pause();
  }

  private gone(): void {
    this.open = false;
    this.onGone();
  }

  private frames(chunk: Buffer): void {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    while (buf.length >= 2) {
      const opcode = buf[0]! & 0x0f;
      let len = buf[1]! & 0x7f;
      let head = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        head = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        len = Number(buf.readBigUInt64BE(2));
        head = 10;
      }
      if (buf.length < head + len) break;
      if (opcode === 1) this.text(buf, head, len);
      else if (opcode === 9) this.pong(buf.subarray(head, head + len));
      else if (opcode === 8) this.socket.end();
      buf = buf.subarray(head + len);
    }
    if (buf.length) this.rest = Buffer.from(buf);
  }

  private text(buf: Buffer, at: number, len: number): void {
    if (!this.joined) {
      this.joined = true;
      // `{"type":"resumed"` or `{"type":"welcome"`: bytes 9..15 name it.
      this.resumed = buf.toString('latin1', at + 9, at + 16) === 'resumed';
      if (!this.resumed) this.noteSeq(buf, at, len);
      this.onWelcome();
      return;
    }
    this.framesIn += 1;
    // `{"type":"pointer"`: counted, never parsed (the pointer mode counts messages per phone).
    if (buf[at + 9] === 0x70 && buf.toString('latin1', at + 9, at + 17) === 'pointer"') {
      this.pointerMessages += 1;
      return;
    }
    // `{"type":"error"` with code `unavailable` to the presenter: the move was not stored (a
    // cluster node that cannot reach Redis in time). The console resends it after retryAfterMs;
    // so does the bench's presenter, counting it, so a refused move is late rather than missing.
    if (this === presenter && buf[at + 9] === 0x65 && buf.toString('latin1', at + 9, at + 15) === 'error"') {
      const error = JSON.parse(buf.toString('utf8', at, at + len)) as { code: string; retryAfterMs?: number };
      if (error.code === 'unavailable' && lastMove) {
        unavailable += 1;
        const again = lastMove;
        setTimeout(() => presenter?.send(again), error.retryAfterMs ?? 500);
      }
      return;
    }
    if (this === presenter && buf[at + 9] === 0x72 && buf.toString('latin1', at + 9, at + 16) === 'results') {
      const ballots = (JSON.parse(buf.toString('utf8', at, at + len)) as { results: { ballots: number } }).results.ballots;
      pollResults.push({ atUs: nowUs(), ballots });
      return;
    }
    // `{"type":"question"`: parsed, but only during the upvote flurry do many arrive.
    if (buf[at + 9] === 0x71 && buf.toString('latin1', at + 9, at + 18) === 'question"') {
      const { question } = JSON.parse(buf.toString('utf8', at, at + len)) as { question: { id: string; text: string; votes: number } };
      this.questionMessages += 1;
      this.lastVotes = question.votes;
      if (asking && question.text === asking.text) asking.resolve(question.id);
      return;
    }
    // `{"type":"deck"`: bytes 9..12 spell "deck". Avoids JSON.parse per delivery.
    if (len < 14 || buf[at + 9] !== 0x64 || buf[at + 10] !== 0x65 || buf[at + 11] !== 0x63 || buf[at + 12] !== 0x6b) return;
    const now = nowUs();
    this.noteSeq(buf, at, len);
    // Change k moves to slide k (bench/run.ts makes a deck long enough), so indexh names the
    // change. A server may coalesce moves (the state is absolute): seeing change k means
    // having every change up to k, so each of them is stamped with this arrival.
    const key = buf.indexOf('"indexh":', at);
    if (key < 0 || key > at + len) return;
    let change = 0;
    for (let i = key + 9; buf[i]! >= 0x30 && buf[i]! <= 0x39; i++) change = change * 10 + buf[i]! - 0x30;
    while (this.seen < change) {
      this.seen += 1;
      slot(this.seen)[this.index] = now;
      const n = (counts[this.seen] = (counts[this.seen] ?? 0) + 1);
      if (waiter && waiter.change === this.seen && n === healthy()) waiter.resolve();
    }
  }

  /** Reads `"seq":<digits>` near the start of a message (it is the second or third key). */
  private noteSeq(buf: Buffer, at: number, len: number): void {
    const key = buf.indexOf('"seq":', at);
    if (key < 0 || key > at + Math.min(len, 40)) return;
    let seq = 0;
    for (let i = key + 6; buf[i]! >= 0x30 && buf[i]! <= 0x39; i++) seq = seq * 10 + buf[i]! - 0x30;
    if (seq > this.lastSeq) this.lastSeq = seq;
  }

  private pong(payload: Buffer): void {
    this.socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
  }
}

const clients: Client[] = [];
let presenter: Client | null = null;
/**
 * Audience clients that stopped reading (the 'freeze' command): phones whose browser froze or
 * whose Wi-Fi went silent without a FIN. They are not expected to receive anything; the server
 * should find them with its heartbeat and drop them without the others noticing.
 */
let frozen = 0;
const healthy = (): number => clients.length - frozen;
/** The question this worker's asker is waiting to see (the upvote flurry). */
let asking: { text: string; resolve: (id: string) => void } | null = null;
/** The audience client that asks: the first one after the presenter. */
const ASKER = 1;
/** arrivals[change][client] = receive time in µs (0 = not yet). Change k is the k-th deck message a client gets. */
const arrivals: Float64Array[] = [];
const counts: number[] = [];
let waiter: { change: number; resolve: () => void } | null = null;
let workerId = 0;
/** The presenter's newest move, and how many moves were answered `unavailable` (then resent). */
let lastMove: string | null = null;
let unavailable = 0;
/** Poll results messages the presenter saw (the vote burst), with their ballot count. */
const pollResults: Array<{ atUs: number; ballots: number }> = [];

function slot(change: number): Float64Array {
  let a = arrivals[change];
  if (!a) {
    a = new Float64Array(clients.length);
    arrivals[change] = a;
    counts[change] = 0;
  }
  return a;
}

/** The upgrade request every client sends (a fixed key: the bench does not check the accept hash). */
function upgradeRequest(url: URL): Buffer {
  return Buffer.from(
    `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: bGl2ZWRlY2stYmVuY2gtMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
}

interface Opening {
  url: URL;
  /** Client slots to open, in order. */
  indexes: number[];
  /** The hello each one sends once its 101 is in. */
  hello: (index: number) => object;
  concurrency: number;
  addressBlock: number;
  /** Called with each new client before it connects (to put it in `clients`). */
  place: (index: number, client: Client) => void;
}

/** Opens clients with at most `concurrency` handshakes in flight; resolves when each has joined or failed. */
function openClients(o: Opening): Promise<{ joined: number; failed: number; resumed: number; startUs: number; endUs: number }> {
  const request = upgradeRequest(o.url);
  const total = o.indexes.length;
  const startUs = nowUs();
  let started = 0;
  let joined = 0;
  let failed = 0;
  let resumed = 0;
  return new Promise((resolve) => {
    const finishOne = () => {
      if (joined + failed === total) resolve({ joined, failed, resumed, startUs, endUs: nowUs() });
      else if (started < total) open();
    };
    const open = () => {
      const index = o.indexes[started++]!;
      // A fresh block of source addresses per run (addressBlock): the sockets a previous run
      // closed sit in TIME_WAIT for 60 s on their addresses, and binding a port on a crowded
      // address costs the kernel more with every run (seen: 120 → 600 µs of client CPU per join).
      const localAddress = `127.${o.addressBlock + workerId}.${1 + Math.floor(index / 1000)}.1`;
      const socket = createConnection({ host: o.url.hostname, port: Number(o.url.port), localAddress });
      let done = false;
      const client: Client = new Client(
        socket,
        index,
        () => {
          if (done) return;
          done = true;
          joined += 1;
          if (client.resumed) resumed += 1;
          finishOne();
        },
        () => {
          if (done) return;
          done = true;
          failed += 1;
          finishOne();
        },
        // RFC 6455 §4.1: a client waits for the server's 101 before it sends a frame, as
        // browsers do (they send from the open event). So each join is two round trips, and
        // the server reads the upgrade and the hello, and writes the 101 and the welcome,
        // separately, as it does for phones.
        () => client.send(JSON.stringify(o.hello(index))),
      );
      o.place(index, client);
      socket.once('connect', () => socket.write(request));
    };
    for (let i = 0; i < Math.min(o.concurrency, total); i++) open();
    if (total === 0) resolve({ joined, failed, resumed, startUs, endUs: nowUs() });
  });
}

const participantId = (index: number) => `bench-${workerId}-${index}`;

async function connect(cmd: Extract<WorkerCommand, { cmd: 'connect' }>): Promise<WorkerEvent> {
  workerId = cmd.worker;
  const total = cmd.audience + (cmd.presenterKey ? 1 : 0);
  const isPresenter = (index: number) => index === 0 && cmd.presenterKey !== null;
  const r = await openClients({
    url: new URL(cmd.url),
    indexes: Array.from({ length: total }, (_, i) => i),
    hello: (index) =>
      isPresenter(index)
        ? { type: 'hello', v: 1, role: 'presenter', talk: cmd.talk, key: cmd.presenterKey }
        : { type: 'hello', v: 1, role: 'audience', talk: cmd.talk, participant: participantId(index) },
    concurrency: cmd.concurrency,
    addressBlock: cmd.addressBlock,
    place: (index, client) => {
      clients[index] = client;
      if (isPresenter(index)) presenter = client;
    },
  });
  return { ev: 'connected', joined: r.joined, failed: r.failed, startUs: r.startUs, endUs: r.endUs };
}

/** The phones that take part in a drop and reconnect: every audience client that still reads. */
const phoneIndexes = (): number[] => clients.flatMap((c, i) => (c !== presenter && !c.frozen ? [i] : []));

/** A Wi-Fi blip, first half: every phone's connection closes (with a FIN, so the server lets go at once). */
function drop(): WorkerEvent {
  const phones = phoneIndexes();
  for (const i of phones) clients[i]!.socket.end();
  return { ev: 'dropped', phones: phones.length };
}

/**
 * Second half: every phone comes back at once with the same participant id and the highest seq
 * it had, as client/connection.ts does, so the server can answer with only what it missed.
 */
async function reconnect(cmd: Extract<WorkerCommand, { cmd: 'reconnect' }>): Promise<WorkerEvent> {
  const before = new Map(phoneIndexes().map((i) => [i, clients[i]!] as const));
  const r = await openClients({
    url: new URL(cmd.url),
    indexes: [...before.keys()],
    hello: (index) => ({ type: 'hello', v: 1, role: 'audience', talk: cmd.talk, participant: participantId(index), lastSeq: before.get(index)!.lastSeq }),
    concurrency: cmd.concurrency,
    addressBlock: cmd.addressBlock,
    place: (index, client) => {
      const old = before.get(index)!;
      client.seen = old.seen;
      client.lastSeq = old.lastSeq;
      clients[index] = client;
    },
  });
  return { ev: 'reconnected', ...r };
}

/** Change k moves to slide k: every change is a real move, and its slide number names it. */
function sendChange(change: number): number {
  const state = { indexh: change, indexv: 0, indexf: -1, paused: false, overview: false };
  const data = JSON.stringify({ type: 'goto', state });
  lastMove = data;
  const at = nowUs();
  presenter?.send(data);
  return at;
}

function collect(change: number, timeoutMs: number): Promise<WorkerEvent> {
  return new Promise((resolve) => {
    const done = () => {
      waiter = null;
      clearTimeout(timer);
      const a = slot(change);
      resolve({ ev: 'collected', change, received: counts[change] ?? 0, expected: healthy(), times: Array.from(a), unavailable });
    };
    const timer = setTimeout(done, timeoutMs);
    if ((counts[change] ?? 0) >= healthy()) return done();
    waiter = { change, resolve: done };
  });
}

const reply = (event: WorkerEvent) => process.send?.(event);

process.on('message', (message: WorkerCommand) => {
  switch (message.cmd) {
    case 'connect':
      void connect(message).then(reply);
      break;
    case 'send':
      reply({ ev: 'sent', change: message.change, atUs: sendChange(message.change) });
      break;
    case 'sustain': {
      const sent: Array<{ change: number; atUs: number }> = [];
      let i = 0;
      const tick = () => {
        sent.push({ change: message.first + i, atUs: sendChange(message.first + i) });
        i += 1;
        if (i === message.count) {
          clearInterval(timer);
          reply({ ev: 'sustained', sent });
        }
      };
      const timer = setInterval(tick, message.intervalMs);
      break;
    }
    case 'collect':
      void collect(message.change, message.timeoutMs).then(reply);
      break;
    case 'vote': {
      // One ballot per audience client, spread evenly over spreadMs (the burst case).
      let sent = 0;
      const startUs = nowUs();
      // `voters` caps the ballots (the cluster bench's burst is 10 000 over more phones).
      const voters = clients.filter((c) => c !== presenter).slice(0, message.voters ?? clients.length);
      const per = message.spreadMs / Math.max(1, voters.length);
      voters.forEach((c, index) => {
        setTimeout(() => {
          if (!c.open) return;
          const ballot = { type: 'ballot', poll: message.poll, key: `b-${workerId}-${index}`, value: { choices: [index % message.options] } };
          c.send(JSON.stringify(ballot));
          sent += 1;
        }, index * per);
      });
      setTimeout(() => reply({ ev: 'voted', sent, startUs, results: pollResults.slice() }), message.spreadMs + message.settleMs);
      break;
    }
    case 'disturb': {
      // Every `freezeEvery`-th audience client stops reading and stops answering pings, as a
      // frozen phone does; its socket stays open until the server gives up on it.
      for (let i = message.freezeEvery - 1; i < clients.length; i += message.freezeEvery) {
        const c = clients[i]!;
        if (c === presenter || c.frozen) continue;
        c.freeze();
        frozen += 1;
      }
      // The others send what the browser client sends to check its link (client/connection.ts):
      // a `ping` message every pingEveryMs, which the server answers with `pong`. Spread evenly.
      const live = clients.filter((c) => c !== presenter && !c.frozen);
      const TICK_MS = 50;
      const perTick = Math.ceil(live.length / (message.pingEveryMs / TICK_MS));
      let cursor = 0;
      setInterval(() => {
        for (let k = 0; k < perTick; k++) {
          const c = live[cursor++ % live.length]!;
          if (c.open) c.send(JSON.stringify({ type: 'ping', t: Date.now() }));
        }
      }, TICK_MS).unref();
      reply({ ev: 'disturbed', frozen, pinging: live.length });
      break;
    }
    case 'ask': {
      const asker = clients[ASKER]!;
      new Promise<string>((resolve) => (asking = { text: message.text, resolve })).then((question) => {
        asking = null;
        reply({ ev: 'asked', question });
      });
      asker.send(JSON.stringify({ type: 'ask', key: `ask-${workerId}`, text: message.text, slide: { indexh: 0, indexv: 0, indexf: -1 } }));
      break;
    }
    case 'upvote': {
      // The first `voters` audience clients after the asker each upvote once, spread over spreadMs;
      // everyone else is a bystander whose question messages are counted.
      for (const c of clients) c.questionMessages = 0;
      const audience = clients.filter((c) => c !== presenter && !c.frozen);
      const voters = audience.slice(ASKER, ASKER + message.voters);
      const per = message.spreadMs / Math.max(1, voters.length);
      let sent = 0;
      voters.forEach((c, index) => {
        setTimeout(() => {
          if (!c.open) return;
          c.send(JSON.stringify({ type: 'upvote', key: `up-${workerId}-${index}`, question: message.question, on: true }));
          sent += 1;
        }, index * per);
      });
      setTimeout(() => {
        const bystanders = audience.slice(ASKER + message.voters);
        reply({ ev: 'upvoted', sent, bystanders: bystanders.map((c) => c.questionMessages), lastVotes: audience.map((c) => c.lastVotes) });
      }, message.spreadMs + message.settleMs);
      break;
    }
    case 'drop':
      reply(drop());
      break;
    case 'reconnect':
      void reconnect(message).then(reply);
      break;
    case 'pointer': {
      // The presenter's console moves the laser in a circle at rateHz for `seconds`, then puts it
      // away; every phone counts what reached it. Workers without the presenter only count.
      for (const c of clients) {
        c.framesIn = 0;
        c.pointerMessages = 0;
      }
      const startUs = nowUs();
      const total = Math.round(message.rateHz * message.seconds);
      let sent = 0;
      const move = (i: number) => {
        const angle = (i / message.rateHz) * Math.PI;
        const at = i < total ? { x: Math.round(480 + 300 * Math.cos(angle)), y: Math.round(350 + 250 * Math.sin(angle)) } : null;
        presenter?.send(JSON.stringify({ type: 'pointer', slide: { indexh: 0, indexv: 0 }, at }));
        if (presenter) sent += 1;
      };
      let i = 0;
      const timer = setInterval(() => {
        move(i);
        i += 1;
        if (i > total) clearInterval(timer);
      }, 1000 / message.rateHz);
      setTimeout(() => {
        const endUs = nowUs();
        const phones = clients.filter((c) => c !== presenter && c.open);
        reply({ ev: 'pointed', sent, startUs, endUs, pointer: phones.map((c) => c.pointerMessages), all: phones.map((c) => c.framesIn) });
      }, message.seconds * 1000 + message.settleMs);
      break;
    }
    case 'exit':
      for (const c of clients) c.socket.destroy();
      setTimeout(() => process.exit(0), 50);
      break;
  }
});

process.on('disconnect', () => process.exit(0));
