import { FALLBACK_LIMITS, FALLBACK_PATHS, type SessionClosed, type SessionOpened } from '../../protocol/transport.ts';
import { parseEventText } from './event-text.ts';
import type { Link, LinkHandlers } from './link.ts';

/** Close code for a link that broke without a word, as browsers report a WebSocket's. */
const ABNORMAL = 1006;

/** The server limits a POST body in UTF-8 bytes, not in the UTF-16 units of `string.length`. */
const utf8 = new TextEncoder();

/**
 * A fallback session as a Link: server messages arrive as Server-Sent Events ('sse') or
 * long-polls ('poll'), client messages leave as POSTs, one at a time so they keep their order
 * (what queues meanwhile leaves together, one JSON per line).
 */
export class HttpLink implements Link {
  private session: SessionOpened | null = null;
  private source: EventSource | null = null;
  private readonly abort = new AbortController();
  /** Messages waiting to be posted, each with its UTF-8 size plus the newline that separates it. */
  private queue: { text: string; bytes: number }[] = [];
  private posting = false;
  private done = false;
  /** Highest event id received: a poll confirms it with `after`. */
  private lastId = 0;

  constructor(
    readonly kind: 'sse' | 'poll',
    /** The server's origin, e.g. http://192.168.1.20:8080. */
    private readonly base: string,
    private readonly handlers: LinkHandlers,
  ) {
    void this.start();
  }

  send(text: string): boolean {
    if (!this.session || this.done) return false;
    this.queue.push({ text, bytes: utf8.encode(text).length + 1 });
    if (!this.posting) void this.post();
    return true;
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.stop();
    if (this.session) {
      // keepalive: the goodbye still leaves when the page is being closed. If it is lost, the
      // server reaps the silent session within 40 s, as it does a dead socket.
      void fetch(this.url(FALLBACK_PATHS.close), { method: 'POST', keepalive: true }).catch((err: unknown) => console.warn('livedeck: session goodbye not sent', err));
    }
  }

  private url(path: string, query = ''): string {
    return `${this.base}${path}?session=${encodeURIComponent(this.session?.session ?? '')}${query}`;
  }

  private async start(): Promise<void> {
    try {
      const res = await fetch(`${this.base}${FALLBACK_PATHS.session}`, { method: 'POST', signal: this.abort.signal });
      if (res.status !== 201) return this.fail(ABNORMAL, `session refused (${res.status})`);
      this.session = (await res.json()) as SessionOpened;
    } catch {
      return this.fail(ABNORMAL, 'no session');
    }
    if (this.done) return;
    // The server keeps what it says until a stream or poll comes for it, so hello may go first.
    this.handlers.open();
    if (this.kind === 'sse') this.listen();
    else void this.pollLoop();
  }

  private listen(): void {
    const source = new EventSource(this.url(FALLBACK_PATHS.events));
    this.source = source;
    source.onmessage = (event) => this.handlers.message(event.data as string);
    source.addEventListener('close', (event) => this.closed((event as MessageEvent<string>).data));
    source.onerror = () => {
      // CONNECTING: the browser reconnects by itself with Last-Event-ID. CLOSED: the server
      // refused the stream (unknown session, events gone): this session is over.
      if (source.readyState === EventSource.CLOSED) this.fail(ABNORMAL, 'stream refused');
    };
  }

  private async pollLoop(): Promise<void> {
    while (!this.done) {
      let text: string;
      try {
        const res = await fetch(this.url(FALLBACK_PATHS.poll, `&after=${this.lastId}`), { signal: this.abort.signal, cache: 'no-store' });
        if (res.status !== 200) return this.fail(ABNORMAL, `poll refused (${res.status})`);
        text = await res.text();
      } catch {
        return this.fail(ABNORMAL, 'poll failed');
      }
      for (const event of parseEventText(text)) {
        if (this.done) return;
        if (event.id !== null) this.lastId = Math.max(this.lastId, event.id);
        if (event.event === 'close') return this.closed(event.data);
        this.handlers.message(event.data);
      }
    }
  }

  private async post(): Promise<void> {
    this.posting = true;
    while (this.queue.length > 0 && !this.done) {
      const lines = this.takeBatch();
      try {
        const res = await fetch(this.url(FALLBACK_PATHS.send), {
          method: 'POST',
          // text/plain keeps the request "simple": no CORS preflight for a deck hosted elsewhere.
          headers: { 'content-type': 'text/plain;charset=UTF-8' },
          body: lines.join('\n'),
          signal: this.abort.signal,
        });
        // 413 closes the session on the server, which says so on the stream.
        if (res.status === 404) return this.fail(ABNORMAL, 'session gone');
      } catch {
        return this.fail(ABNORMAL, 'send failed');
      }
    }
    this.posting = false;
  }

  /** The queued messages that fit one body (at least one: an oversized one is the server's to refuse). */
  private takeBatch(): string[] {
    const limit = this.session?.maxBodyBytes ?? FALLBACK_LIMITS.maxBodyBytes;
    let size = 0;
    let n = 0;
    while (n < this.queue.length && n < FALLBACK_LIMITS.maxMessagesPerPost && (n === 0 || size + this.queue[n]!.bytes <= limit)) size += this.queue[n++]!.bytes;
    return this.queue.splice(0, n).map((queued) => queued.text);
  }

  private closed(data: string): void {
    let closed: SessionClosed = { code: ABNORMAL, reason: '' };
    try {
      closed = JSON.parse(data) as SessionClosed;
    } catch {
      console.warn('livedeck: a close event that is not JSON');
    }
    this.fail(closed.code, closed.reason);
  }

  private fail(code: number, reason: string): void {
    if (this.done) return;
    this.done = true;
    this.stop();
    this.handlers.close(code, reason);
  }

  private stop(): void {
    this.source?.close();
    this.source = null;
    this.abort.abort();
    this.queue = [];
  }
}
