import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FALLBACK_LIMITS, type SessionClosed } from '../../protocol/transport.ts';
import { payloads } from '../room/frame.ts';

/** One server message as it goes on the wire: an SSE event with the session's own id. */
interface Event {
  id: number;
  text: string;
}

/** Queued bytes past which the relay is told (kBacklog), as a socket's high-water mark would. */
const HIGH_WATER_BYTES = 16 * 1024;

/** Headers of an event stream and of a long-poll answer (the same event format, ended). */
export const EVENT_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  'x-content-type-options': 'nosniff',
  // nginx buffers responses unless told not to; a venue proxy that ignores it is why long-polling exists.
  'x-accel-buffering': 'no',
} as const;

/**
 * The relay writes the same frame buffer to every member of a room; each session turns it
 * back into JSON text once per broadcast, not once per session.
 */
let lastFrames: Buffer | null = null;
let lastTexts: string[] = [];

function textsOf(frames: Buffer): string[] {
  if (frames !== lastFrames) {
    lastTexts = payloads(frames).map((p) => p.toString('utf8'));
    lastFrames = frames;
  }
  return lastTexts;
}

/**
 * What a fallback session looks like to the relay: a WebSocket. The relay, its rooms, rate
 * limits, join guard, heartbeat and slow-consumer check use a Peer's `ws` through a handful of
 * fields (readyState, the sender's state, the socket's write/cork/remoteAddress, close,
 * terminate, ping, bufferedAmount and the message/close events); this object has exactly
 * those, and turns each frame written to it into an SSE event. So every feature works over the
 * fallback with no code of its own, and the WebSocket path does no work for it.
 *
 * Events are numbered per session. Written events are kept (FALLBACK_LIMITS.retain*) so a
 * stream that reconnects with Last-Event-ID gets exactly what it missed; a long-poll's `after`
 * confirms what the client has, and those are dropped.
 */
export class SessionSocket extends EventEmitter {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 1;
  /** ws's sender, always idle: writeFrame then hands frames straight to `_socket.write`. */
  readonly _sender = { _state: 0, _queue: [] as unknown[] };
  readonly _socket: {
    writable: boolean;
    remoteAddress: string;
    cork(): void;
    uncork(): void;
    write(frames: Buffer): boolean;
  };
  /** Consecutive ids: events[i].id === events[0].id + i. */
  private events: Event[] = [];
  /** Characters held in `events` (UTF-16 units: what the byte bound is counted in, near enough for a bound). */
  private heldChars = 0;
  private lastId = 0;
  /** Highest id the client is known to have (a poll's `after`, a stream's Last-Event-ID). */
  private acked = 0;
  /** Highest id written to the current stream or poll answer. */
  private written = 0;
  private stream: ServerResponse | null = null;
  /**
   * The current stream's socket. The stream is sent without chunked framing (its body runs until
   * the connection closes, RFC 9112 section 6.3), so each event is one plain socket write, as a
   * WebSocket frame is, instead of the three of an HTTP chunk.
   */
  private wire: Socket | null = null;
  private poll: { res: ServerResponse; timer: NodeJS.Timeout } | null = null;
  private pollAnswer: NodeJS.Immediate | null = null;

  constructor(
    readonly id: string,
    address: string,
    private readonly onGone: (socket: SessionSocket, linger: boolean) => void,
  ) {
    super();
    this._socket = {
      writable: true,
      remoteAddress: address,
      cork: () => undefined,
      uncork: () => undefined,
      write: (frames) => this.push(textsOf(frames)),
    };
  }

  /** Bytes the client has not been given yet (the relay's slow-consumer check reads it). */
  get bufferedAmount(): number {
    let bytes = this.wire?.writableLength ?? 0;
    for (let i = this.events.length - 1; i >= 0 && this.events[i]!.id > this.written; i--) bytes += this.events[i]!.text.length;
    return bytes;
  }

  /** A frame the client posted: handed to the relay as a WebSocket message. */
  deliver(message: Buffer): void {
    this.emit('message', message, false);
  }

  /** Any request of the client's proves the link is alive, as a pong does. */
  heard(): void {
    this.emit('pong');
  }

  send(data: string | Buffer): void {
    this.push([typeof data === 'string' ? data : data.toString('utf8')]);
  }

  ping(): void {
    // A comment line: nothing for the client, but proxies see a stream that is not idle.
    this.wire?.write(':\n\n');
  }

  /** Says why (an `event: close` with the WebSocket close code), then ends the session. */
  close(code = 1000, reason = ''): void {
    if (this.readyState !== this.OPEN) return;
    const closed: SessionClosed = { code, reason };
    this.append(`event: close\ndata: ${JSON.stringify(closed)}\n\n`);
    this.readyState = this.CLOSED;
    this._socket.writable = false;
    this.flush();
    this.endStream();
    this.finish(true);
  }

  /** Ends the session without a word (a dead or slow client, or one that said goodbye). */
  terminate(): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this._socket.writable = false;
    this.endStream();
    this.endPoll();
    this.finish(false);
  }

  /**
   * Serves the session as an event stream from now on. `lastEventId` (the header an
   * EventSource sends when it reconnects) confirms what the client has; everything after it is
   * written first. False when those events are no longer kept.
   */
  attachStream(res: ServerResponse, lastEventId: number | null): boolean {
    if (lastEventId !== null && !this.confirm(lastEventId)) return false;
    this.heard();
    this.endPoll();
    this.endStream();
    res.on('close', () => {
      if (this.stream !== res) return;
      this.stream = null;
      this.wire = null;
    });
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, { ...EVENT_HEADERS, connection: 'close' });
    // The comment makes the head and first bytes leave now, so the EventSource opens at once.
    res.write(':ok\n\n');
    this.stream = res;
    this.wire = res.socket;
    this.written = this.acked;
    this.flush();
    // A closed session's stream gets its last events (the close among them), then ends.
    if (this.readyState === this.CLOSED) this.endStream();
    return true;
  }

  /** Answers a long-poll now if there is anything after `after`, else when there is (or empty after the wait). */
  attachPoll(res: ServerResponse, after: number): boolean {
    if (!this.confirm(after)) return false;
    this.heard();
    this.endStream();
    this.endPoll();
    this.written = this.acked;
    const timer = setTimeout(() => this.answerPoll(), FALLBACK_LIMITS.pollWaitMs);
    timer.unref();
    this.poll = { res, timer };
    res.on('close', () => {
      if (this.poll?.res === res) {
        clearTimeout(this.poll.timer);
        this.poll = null;
      }
    });
    if (this.lastId > this.acked) this.answerPoll();
    return true;
  }

  /** The client has every event up to `id`: drop them. False if `id` is unknown or events after it are gone. */
  private confirm(id: number): boolean {
    if (!Number.isInteger(id) || id < 0 || id > this.lastId) return false;
    const first = this.events[0]?.id ?? this.lastId + 1;
    if (id + 1 < first) return false;
    this.acked = Math.max(this.acked, id);
    this.dropThrough(this.acked);
    return true;
  }

  /** Forgets the events up to `id`. */
  private dropThrough(id: number): void {
    const first = this.events[0]?.id ?? 0;
    const drop = Math.min(this.events.length, id - first + 1);
    if (drop <= 0) return;
    for (let i = 0; i < drop; i++) this.heldChars -= this.events[i]!.text.length;
    this.events.splice(0, drop);
  }

  private push(texts: readonly string[]): boolean {
    if (this.readyState !== this.OPEN) return false;
    for (const text of texts) this.append(`id: ${this.lastId + 1}\ndata: ${text}\n\n`);
    return this.flush();
  }

  private append(text: string): void {
    this.events.push({ id: ++this.lastId, text });
    this.heldChars += text.length;
  }

  /** Writes what the stream has not had; schedules a waiting poll's answer. False past the high-water mark. */
  private flush(): boolean {
    if (this.wire) {
      let ok = true;
      const first = this.events[0]?.id ?? this.lastId + 1;
      for (let i = Math.max(0, this.written + 1 - first); i < this.events.length; i++) ok = this.wire.write(this.events[i]!.text) && ok;
      this.written = this.lastId;
      this.trimWritten();
      return ok;
    }
    // Several writes in one turn (a welcome and its snapshots, a burst) go in one answer.
    if (this.poll && !this.pollAnswer) this.pollAnswer = setImmediate(() => this.answerPoll());
    return this.bufferedAmount < HIGH_WATER_BYTES;
  }

  /** Written events are kept for Last-Event-ID, within bounds; unwritten ones wait for the client. */
  private trimWritten(): void {
    const limit = FALLBACK_LIMITS.retainEvents;
    // A quarter of slack: one splice per 64 writes rather than an array copy on each.
    if (this.events.length <= limit + (limit >> 2) && this.heldChars <= FALLBACK_LIMITS.retainBytes) return;
    const first = this.events[0]!.id;
    let drop = Math.max(0, this.events.length - limit);
    let chars = this.heldChars;
    for (let i = 0; i < drop; i++) chars -= this.events[i]!.text.length;
    while (chars > FALLBACK_LIMITS.retainBytes && drop < this.events.length) chars -= this.events[drop++]!.text.length;
    this.dropThrough(Math.min(first + drop - 1, this.written));
  }

  private answerPoll(): void {
    if (this.pollAnswer) clearImmediate(this.pollAnswer);
    this.pollAnswer = null;
    const poll = this.poll;
    if (!poll) return;
    clearTimeout(poll.timer);
    this.poll = null;
    const body = this.events.filter((e) => e.id > this.acked).map((e) => e.text);
    this.written = this.lastId;
    poll.res.writeHead(200, EVENT_HEADERS);
    poll.res.end(body.join(''));
  }

  private endStream(): void {
    const stream = this.stream;
    this.stream = null;
    this.wire = null;
    stream?.end();
  }

  private endPoll(): void {
    if (!this.poll) return;
    clearTimeout(this.poll.timer);
    if (this.pollAnswer) clearImmediate(this.pollAnswer);
    this.pollAnswer = null;
    const { res } = this.poll;
    this.poll = null;
    res.writeHead(200, EVENT_HEADERS);
    res.end();
  }

  private finish(linger: boolean): void {
    // ws emits close on a later tick too: the relay forgets the peer after its current handler.
    process.nextTick(() => {
      this.emit('close', 1000, Buffer.alloc(0));
      this.onGone(this, linger);
    });
  }
}
