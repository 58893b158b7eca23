import type { ClientMessage, HelloMessage, ServerMessage } from '../protocol/messages.ts';
import { backoffDelay } from './backoff.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionOptions {
  /** The socket URL; the page's own origin when omitted (a deck hosted elsewhere names its livedeck server). */
  url?: string;
  /** Builds the hello for each (re)connect, so it can carry fresh state. */
  hello(): HelloMessage;
  onMessage(message: ServerMessage): void;
  onStatus(status: ConnectionStatus): void;
  /** Close codes after which retrying is pointless (wrong key, unknown talk). */
  onFatal?(reason: string): void;
}

/**
 * Browsers cannot see WebSocket pings (nor TCP loss, for tens of seconds), so the client pings and
 * counts silence itself: a pong every 2 s means 4 s without any frame is a dead link, and a check
 * every 500 ms says so within 4.5 s of the last frame (a phone must say "Reconnecting…" within 5 s).
 * The server allows pings at 2/s, burst 10 (docs/protocol.md).
 */
export const PING_EVERY_MS = 2000;
const CHECK_EVERY_MS = 500;
const SILENCE_LIMIT_MS = 4000;
const FATAL_CLOSE_CODES = new Set([4001, 4003]);

/** The socket URL for the page's own origin (or another server's): wss under https, and no hard-coded host. */
export function socketUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

/**
 * A WebSocket that stays connected: reconnects with capped, jittered backoff, says hello
 * every time, and notices a dead link even when the browser does not.
 */
export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private lastHeard = 0;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Highest seq received on any socket: sent back on reconnect so the server can resume. */
  private lastSeq: number | null = null;

  constructor(private readonly options: ConnectionOptions) {}

  start(): void {
    this.open();
    // Phones freeze background tabs; on return, check the link at once instead of waiting.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.probe();
    });
    window.addEventListener('online', () => this.reconnectNow());
  }

  send(message: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private open(): void {
    if (this.stopped) return;
    this.options.onStatus('connecting');
    const ws = new WebSocket(this.options.url ?? socketUrl());
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      const hello = this.options.hello();
      ws.send(JSON.stringify(this.lastSeq === null ? hello : { ...hello, lastSeq: this.lastSeq }));
    };
    ws.onmessage = (event) => {
      this.lastHeard = Date.now();
      const message = parseServerMessage(event.data);
      if (!message) return;
      this.trackSeq(message);
      if (message.type === 'welcome' || message.type === 'resumed') {
        this.attempt = 0;
        this.options.onStatus('connected');
      }
      this.options.onMessage(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopPinging();
      if (FATAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.options.onStatus('disconnected');
        this.options.onFatal?.(event.reason || 'refused');
        return;
      }
      this.options.onStatus('disconnected');
      this.scheduleReconnect();
    };
    this.startPinging();
  }

  /**
   * A welcome is a snapshot and resets the count (seqs restart with a new server store);
   * after a `resumed`, the missed messages follow and raise it again.
   */
  private trackSeq(message: ServerMessage): void {
    if (message.type === 'welcome') this.lastSeq = message.seq;
    else if (message.type !== 'resumed' && 'seq' in message && typeof message.seq === 'number') {
      this.lastSeq = Math.max(this.lastSeq ?? 0, message.seq);
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    const delay = backoffDelay(this.attempt++);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.open();
    }, delay);
  }

  private reconnectNow(): void {
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
      this.open();
    }
  }

  private startPinging(): void {
    this.stopPinging();
    let lastPing = 0;
    this.pinger = setInterval(() => {
      const now = Date.now();
      if (now - lastPing >= PING_EVERY_MS && this.send({ type: 'ping', t: now })) lastPing = now;
      this.checkLiveness();
    }, CHECK_EVERY_MS);
  }

  private stopPinging(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }

  /**
   * Back from the background, timers were throttled and silence says nothing yet: ask now, and
   * judge the link only if the answer does not come within the next ping's time.
   */
  private probe(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.send({ type: 'ping', t: Date.now() });
    this.lastHeard = Math.max(this.lastHeard, Date.now() - SILENCE_LIMIT_MS + PING_EVERY_MS);
  }

  /** A link silent past the limit is dead even if the browser still calls it open. */
  private checkLiveness(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.ws = null;
      this.stopPinging();
      ws.close();
      this.options.onStatus('disconnected');
      this.scheduleReconnect();
    }
  }
}

/** The server is trusted to speak the protocol, but a frame that is not even JSON is ignored, not thrown. */
function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerMessage;
    }
  } catch {
    console.warn('livedeck: ignored a frame that is not JSON');
  }
  return null;
}
