import { CLOSE_CODES, type ClientMessage, type HelloMessage, type ServerMessage } from '../protocol/messages.ts';
import { backoffDelay } from './backoff.ts';
import { ResumePoint } from './resume-point.ts';
import { HttpLink } from './transport/http-link.ts';
import type { Link, LinkHandlers, TransportKind } from './transport/link.ts';
import { WebSocketLink } from './transport/websocket-link.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';
export type { TransportKind } from './transport/link.ts';

export interface ConnectionOptions {
  /** The socket URL; the page's own origin when omitted (a deck hosted elsewhere names its livedeck server). */
  url?: string;
  /** Builds the hello for each (re)connect, so it can carry fresh state. */
  hello(): HelloMessage;
  onMessage(message: ServerMessage): void;
  onStatus(status: ConnectionStatus): void;
  /** Close codes after which retrying is pointless (wrong key, unknown talk). */
  onFatal?(reason: string): void;
  /** How the page is connected, told on every welcome (a page that shows "slow network mode"). */
  onTransport?(kind: TransportKind): void;
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
const FATAL_CLOSE_CODES = new Set<number>([CLOSE_CODES.badHello, CLOSE_CODES.badKey]);
/**
 * A cluster node that closes with these is going away (1012) or cannot serve now (1013): the
 * transport worked, so it is not marked broken; the next link goes through the balancer to
 * another node, at once-ish for 1012, from this backoff step on for 1013 (1–2 s, then doubling).
 */
const NODE_LEAVING_CLOSE_CODES = new Set<number>([CLOSE_CODES.serviceRestart, CLOSE_CODES.tryAgainLater]);
const TRY_AGAIN_LATER_ATTEMPT = 3;
/**
 * A link that has not brought a welcome this long after it was opened is given up, and the next
 * transport is tried: a proxy that refuses WebSockets fails at once, one that buffers them (or
 * an event stream) fails only this way.
 */
export const WELCOME_WITHIN_MS = 4000;
/**
 * A WebSocket that did open but brought no welcome within WELCOME_WITHIN_MS is waited for this
 * much longer before it counts as broken: that is most often a slow server (a room of phones
 * reconnecting after a restart), and moving them to SSE would cost it more. A proxy that opens
 * the upgrade and then delivers nothing still fails, only later; one that swallows the upgrade
 * (the socket never opens) fails at WELCOME_WITHIN_MS as before.
 */
export const OPENED_WEBSOCKET_GRACE_MS = 6000;
/** On a fallback, a WebSocket is tried again in the background this long after, doubling to the cap. */
const PROBE_FIRST_MS = 10_000;
const PROBE_CAP_MS = 120_000;

/** The socket URL for the page's own origin (or another server's): wss under https, and no hard-coded host. */
export function socketUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

/** The server's origin over HTTP, from its socket URL (where the fallback endpoints are). */
export function httpBase(socket: string): string {
  const url = new URL(socket);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}

/**
 * A link to the server that stays connected: reconnects with capped, jittered backoff, says
 * hello every time, and notices a dead link even when the browser does not. When WebSockets are
 * blocked (a venue proxy, a captive portal) it falls back to Server-Sent Events and POSTs, and
 * when event streams are buffered too, to long-polling: the same messages, seq and acks, so
 * pages never know. On a fallback it keeps trying a WebSocket in the background and moves back.
 */
export class Connection {
  private link: Link | null = null;
  private attempt = 0;
  private lastHeard = 0;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private welcomeTimer: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private probeDelay = PROBE_FIRST_MS;
  private stopped = false;
  /** The current link has brought a welcome (or resumed). */
  private welcomed = false;
  /** The current link has opened (for a WebSocket: the upgrade was answered). */
  private opened = false;
  /** Transports that failed to bring a welcome lately; tried again once every one has failed. */
  private readonly broken = new Set<TransportKind>();
  /** Highest seq received on any link and its epoch: sent back on reconnect so the server can resume. */
  private readonly resume = new ResumePoint();

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
    return this.link?.send(JSON.stringify(message)) ?? false;
  }

  private nextKind(): TransportKind {
    if (!this.broken.has('websocket')) return 'websocket';
    return this.broken.has('sse') ? 'poll' : 'sse';
  }

  private socketUrl(): string {
    return this.options.url ?? socketUrl();
  }

  private open(): void {
    if (this.stopped) return;
    this.options.onStatus('connecting');
    const kind = this.nextKind();
    this.welcomed = false;
    this.opened = false;
    this.lastHeard = Date.now();
    let link: Link;
    const handlers = this.handlersFor(() => link);
    link = kind === 'websocket' ? new WebSocketLink(new WebSocket(this.socketUrl()), handlers) : new HttpLink(kind, httpBase(this.socketUrl()), handlers);
    this.use(link);
  }

  private use(link: Link): void {
    this.link = link;
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
    const expire = (graceLeft: boolean) => {
      this.welcomeTimer = null;
      if (this.link !== link || this.welcomed) return;
      if (graceLeft && link.kind === 'websocket' && this.opened) {
        this.welcomeTimer = setTimeout(() => expire(false), OPENED_WEBSOCKET_GRACE_MS);
        return;
      }
      this.giveUp(link);
    };
    this.welcomeTimer = setTimeout(() => expire(true), WELCOME_WITHIN_MS);
    this.startPinging();
  }

  private handlersFor(link: () => Link): LinkHandlers {
    return {
      open: () => {
        if (this.link !== link()) return;
        this.opened = true;
        this.lastHeard = Date.now();
        link().send(JSON.stringify(this.resume.hello(this.options.hello())));
      },
      message: (text) => {
        if (this.link !== link()) return;
        this.lastHeard = Date.now();
        const message = parseServerMessage(text);
        if (!message) return;
        this.resume.track(message);
        if (message.type === 'welcome' || message.type === 'resumed') this.welcome(link().kind);
        this.options.onMessage(message);
      },
      close: (code, reason) => {
        if (this.link !== link()) return;
        this.link = null;
        this.stopPinging();
        if (FATAL_CLOSE_CODES.has(code)) {
          this.stopped = true;
          this.cancelProbe();
          this.options.onStatus('disconnected');
          this.options.onFatal?.(reason || 'refused');
          return;
        }
        if (NODE_LEAVING_CLOSE_CODES.has(code)) {
          this.options.onStatus('disconnected');
          // After a welcome the attempt count is 0: a 1012 reconnects in 125–250 ms. A node that says
          // so before any welcome (every node restarting) still backs off, as any failed attempt.
          if (code === CLOSE_CODES.tryAgainLater) this.attempt = Math.max(this.attempt, TRY_AGAIN_LATER_ATTEMPT);
          this.scheduleReconnect();
          return;
        }
        const failedFirst = !this.welcomed;
        if (failedFirst) this.broken.add(link().kind);
        this.options.onStatus('disconnected');
        // A transport that never worked is swapped for the next at once; a lost link waits its turn.
        if (failedFirst && this.broken.size < 3) this.open();
        else this.scheduleReconnect();
      },
    };
  }

  private welcome(kind: TransportKind): void {
    this.welcomed = true;
    this.attempt = 0;
    if (this.broken.size >= 3) this.broken.clear();
    this.options.onStatus('connected');
    this.options.onTransport?.(kind);
    if (kind === 'websocket') this.cancelProbe();
    else this.scheduleProbe();
  }

  /** A link that did not bring a welcome in time: the next transport gets its turn. */
  private giveUp(link: Link): void {
    this.broken.add(link.kind);
    this.link = null;
    this.stopPinging();
    link.close();
    this.options.onStatus('disconnected');
    if (this.broken.size < 3) this.open();
    else this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    // Every transport failed (the server may be down or restarting): start again from a WebSocket.
    if (this.broken.size >= 3) this.broken.clear();
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

  /**
   * On a fallback, a WebSocket is opened in the background now and then; if it answers a ping
   * (allowed before hello) it replaces the fallback, with a hello that resumes from lastSeq.
   */
  private scheduleProbe(): void {
    if (this.probeTimer || this.stopped) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      this.tryWebSocket();
    }, this.probeDelay);
    this.probeDelay = Math.min(PROBE_CAP_MS, this.probeDelay * 2);
  }

  private cancelProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probeDelay = PROBE_FIRST_MS;
  }

  private tryWebSocket(): void {
    const ws = new WebSocket(this.socketUrl());
    const fail = () => {
      clearTimeout(timer);
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close();
      if (this.link && this.link.kind !== 'websocket') this.scheduleProbe();
    };
    const timer = setTimeout(fail, WELCOME_WITHIN_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'ping', t: Date.now() } satisfies ClientMessage));
    ws.onclose = fail;
    ws.onmessage = () => {
      clearTimeout(timer);
      ws.onopen = ws.onmessage = ws.onclose = null;
      const old = this.link;
      if (this.stopped || !old || old.kind === 'websocket') return ws.close();
      this.broken.clear();
      old.close();
      this.welcomed = false;
      this.opened = false;
      let link: Link;
      const handlers = this.handlersFor(() => link);
      link = new WebSocketLink(ws, handlers);
      this.use(link);
    };
  }

  private startPinging(): void {
    this.stopPinging();
    let lastPing = 0;
    this.pinger = setInterval(() => {
      const now = Date.now();
      if (now - lastPing >= PING_EVERY_MS && this.welcomed && this.send({ type: 'ping', t: now })) lastPing = now;
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
    if (!this.link || !this.welcomed) return;
    this.send({ type: 'ping', t: Date.now() });
    this.lastHeard = Math.max(this.lastHeard, Date.now() - SILENCE_LIMIT_MS + PING_EVERY_MS);
  }

  /** A link silent past the limit is dead even if the browser still calls it open (before a welcome, the welcome timer judges). */
  private checkLiveness(): void {
    const link = this.link;
    if (!link || !this.welcomed) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.link = null;
      this.stopPinging();
      link.close();
      this.options.onStatus('disconnected');
      this.scheduleReconnect();
    }
  }
}

/** The server is trusted to speak the protocol, but a frame that is not even JSON is ignored, not thrown. */
function parseServerMessage(data: string): ServerMessage | null {
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
