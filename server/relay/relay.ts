import type { IncomingMessage, Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CLOSE_CODES, MAX_FRAME_BYTES, type ErrorCode, type ErrorMessage } from '../../protocol/messages.ts';
import { parseClientMessage } from '../../protocol/parse.ts';
import { networkBudgetOf } from '../features/network-budget.ts';
import { JoinGuard, waitSeconds } from '../security/join-guard.ts';
import { originAllowed } from '../security/origin.ts';
import { refusalResponse, type RequestGate } from '../security/request-gate.ts';
import { normalizeJoinCode } from '../talk/secrets.ts';
import { dispatch, replyError, type HandlerContext } from './handlers.ts';
import type { TalkHost } from '../talk/host.ts';
import { DEFAULT_RATES, Limiter, RatePlan, type RateTable } from './limiter.ts';
import { kBacklog, type BacklogListener } from '../room/frame.ts';
import { peerAddress, type Peer } from '../room/peer.ts';
import { sendMessage } from '../room/room.ts';

export interface RelayOptions {
  /** Interval between heartbeats; a peer silent for 1.5 to 2.5 of them is terminated (see beat). */
  heartbeatMs?: number;
  /** Path the WebSocket endpoint answers on. */
  path?: string;
  /** Origins allowed besides the request's own host (reverse proxies), e.g. https://talk.example.org. */
  allowOrigins?: readonly string[];
  /**
   * Open sockets per client address; none by default. A keynote venue can put 10 000 phones
   * behind one NAT address, so the only cap that stops nobody legitimate is the process's file
   * descriptor limit, which already holds. An operator who knows the network can set one
   * (--max-connections-per-address). Off, the server never asks the kernel for a socket's
   * address during a join (getpeername: ~9 µs of the ~150 a join costs, docs/performance.md).
   */
  maxConnectionsPerAddress?: number;
  /** A peer with more than this many bytes queued for sending is dropped; it resyncs when it returns. */
  slowConsumerBytes?: number;
  /** Per-connection message rates by kind (merged over DEFAULT_RATES). */
  rates?: Partial<RateTable>;
  /** Failed join codes per address; shared with the HTTP join routes. */
  joinGuard?: JoinGuard;
  /** Checks Host and head size of each upgrade before anything else (the HTTP routes share it); none: every Host is taken. */
  gate?: RequestGate | null;
}

const DEFAULTS: Required<RelayOptions> = {
  heartbeatMs: 15_000,
  path: '/ws',
  allowOrigins: [],
  maxConnectionsPerAddress: Infinity,
  slowConsumerBytes: 1024 * 1024,
  rates: {},
  joinGuard: new JoinGuard(),
  gate: null,
};

/**
 * Messages of more fragments than this close the socket with 1008. Browsers send each message
 * as one frame; without a cap ws keeps ~110 bytes for every fragment of an unfinished message
 * (up to its own default of 16 384), which let 1 000 sockets dribbling one-byte fragments hold
 * 1.8 GB.
 */
export const MAX_FRAGMENTS = 64;

/**
 * After ws has refused a frame (too big, not UTF-8, a protocol error) it sends its close frame
 * behind whatever replies are still queued and waits for the peer's; one that never reads or
 * answers is cut off this long after.
 */
export const CLOSE_AFTER_ERROR_MS = 5_000;

/** A heartbeat pass is spread over this many ticks of heartbeatMs / HEARTBEAT_SLICES. */
const HEARTBEAT_SLICES = 10;

/** How often queued bytes are checked for slow consumers. */
const SLOW_CONSUMER_CHECK_MS = 100;

/**
 * A Peer as the relay holds it: also where it came from and its rate buckets. One object per
 * connection; handlers and features only see the Peer fields.
 */
interface Connection extends Peer {
  /** The client's IP address: read at the upgrade when there is a per-address limit, else on first need (peerAddress). */
  address: string | null;
  readonly limiter: Limiter;
  /** Set while the answer to a wrong join code is held back: nothing it sends is read any more. */
  guessAnswer: NodeJS.Timeout | null;
  /** When the last frame or pong came in (Date.now()). */
  heardAt: number;
  /** A heartbeat pinged it and nothing has come in since. */
  pinged: boolean;
}

/**
 * The WebSocket side of the server: accepts upgrades, parses every frame at the edge,
 * dispatches through the handler table, and finds dead peers with ping/pong.
 */
export class Relay {
  private readonly options: Required<RelayOptions>;
  private readonly wss: WebSocketServer;
  private readonly peers = new Set<Connection>();
  private readonly hosts = new Map<string, TalkHost>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Where the heartbeat's pass over the peers stands (a Set iterator skips peers that left). */
  private beatCursor: Iterator<Connection> | null = null;
  private beatStartedAt = 0;
  private readonly slowCheck: NodeJS.Timeout;
  private readonly ctx: HandlerContext;
  /** Listeners shared by every socket; `this` is the socket, its Peer is under kPeer. */
  private readonly onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  private readonly onClose: (this: WebSocket) => void;
  private readonly onBacklog: BacklogListener;
  /** Peers with more queued than their socket's high-water mark since they last drained: the only possible slow consumers. */
  private readonly backlogged = new Set<Connection>();
  /** Open sockets per address, kept only when a per-address cap is set. */
  private readonly perAddress = new Map<string, number>();
  private readonly capPerAddress: boolean;
  private readonly rates: RatePlan;
  readonly joinGuard: JoinGuard;

  constructor(options: RelayOptions = {}) {
    this.options = { ...DEFAULTS, joinGuard: options.joinGuard ?? new JoinGuard(), ...options } as Required<RelayOptions>;
    this.rates = new RatePlan({ ...DEFAULT_RATES, ...this.options.rates } as RateTable);
    this.joinGuard = this.options.joinGuard;
    this.capPerAddress = this.options.maxConnectionsPerAddress !== Infinity;
    // Compression is off: it costs CPU per client on every broadcast and our frames are tiny.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      maxFragments: MAX_FRAGMENTS,
      perMessageDeflate: false,
      clientTracking: false,
      // livedeck defines no subprotocol; ws would otherwise agree to the first one offered.
      handleProtocols: () => false,
    });
    // The beat is spread over HEARTBEAT_SLICES ticks: pinging 20 000 peers at once is ~200 ms
    // of write syscalls in one go, which a slide change arriving then would wait behind.
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs / HEARTBEAT_SLICES);
    this.heartbeat.unref();
    this.slowCheck = setInterval(() => this.dropSlowConsumers(), SLOW_CONSUMER_CHECK_MS);
    this.slowCheck.unref();
    const relay = this;
    this.onMessage = function (this: WebSocket, data: RawData, isBinary: boolean) {
      relay.receive((this as PeerSocket)[kPeer], data, isBinary);
    };
    this.onClose = function (this: WebSocket) {
      relay.forget((this as PeerSocket)[kPeer]);
    };
    this.onBacklog = (ws: WebSocket) => void this.backlogged.add((ws as PeerSocket)[kPeer]);
    this.ctx = {
      // Clients send the code as the server printed it; only a typed one needs normalising.
      findTalk: (code) => this.hosts.get(code) ?? this.hosts.get(normalizeJoinCode(code)),
      refuse: (peer, code, closeCode, ref) => this.refuse(peer, code, closeCode, ref),
    };
  }

  addTalk(host: TalkHost): void {
    this.hosts.set(host.talk.code, host);
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  /**
   * Takes a connection that is not a WebSocket but looks like one to the relay (a fallback
   * session, server/transport): the same per-address cap, limits and handlers apply.
   */
  adopt(ws: WebSocket, address: string): boolean {
    if (this.capPerAddress && (this.perAddress.get(address) ?? 0) >= this.options.maxConnectionsPerAddress) return false;
    this.accept(ws, this.capPerAddress ? address : null);
    return true;
  }

  get allowOrigins(): readonly string[] {
    return this.options.allowOrigins;
  }

  /** Wires the relay into an HTTP server's upgrade event. */
  attach(server: Server | HttpsServer): void {
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws's handleUpgrade puts its own error listener on the socket (first thing it does,
    // in this same turn), nothing here can fail asynchronously; a refused socket gets ours.
    const refused = this.options.gate?.upgrade(req, head);
    if (refused) return endUpgrade(socket, refusalResponse(refused));
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query < 0 ? url : url.slice(0, query)) !== this.options.path) return rejectUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host, this.options.allowOrigins)) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const address = this.capPerAddress ? clientAddress(req) : null;
    if (address !== null && (this.perAddress.get(address) ?? 0) >= this.options.maxConnectionsPerAddress) {
      return rejectUpgrade(socket, 429, 'Too Many Requests');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, address));
  }

  private accept(ws: WebSocket, address: string | null): void {
    const peer: Connection = {
      id: randomUUID(),
      ws,
      role: null,
      talk: null,
      participant: null,
      address,
      limiter: new Limiter(this.rates),
      guessAnswer: null,
      heardAt: Date.now(),
      pinged: false,
    };
    this.peers.add(peer);
    if (address !== null) this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    // The peer rides on the socket and the listeners are shared by every connection: four
    // closures per connection would cost ~300 bytes each at 10 000 phones (docs/performance.md).
    (ws as PeerSocket)[kPeer] = peer;
    (ws as PeerSocket)[kBacklog] = this.onBacklog;
    ws.on('pong', markAlive);
    ws.on('message', this.onMessage);
    // ws reports oversized frames and protocol violations here, after it has started its own
    // close handshake with the right code (1009, 1007, 1002, 1008): destroying the socket now
    // would drop that close frame along with the replies queued before it (the peer saw 1006).
    ws.on('error', closeAfterError);
    ws.on('close', this.onClose);
  }

  private receive(peer: Connection, data: RawData, isBinary: boolean): void {
    const now = Date.now();
    peer.heardAt = now;
    peer.pinged = false;
    if (peer.ws.readyState !== peer.ws.OPEN || peer.guessAnswer !== null) return;
    if (!peer.limiter.take('frame', now)) return this.limited(peer);
    if (isBinary) {
      if (!peer.limiter.take('invalid', now)) return this.limited(peer);
      return replyError(peer, 'bad_message', undefined, 'Frames must be text.');
    }
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) {
      if (!peer.limiter.take('invalid', now)) return this.limited(peer);
      const { code, message, ref, key } = parsed;
      const error: ErrorMessage = { type: 'error', code, message };
      if (ref !== undefined) error.ref = ref;
      if (key !== undefined) error.key = key;
      return sendMessage(peer, error);
    }
    const type = parsed.message.type;
    if (!peer.limiter.take(type, now)) return this.limited(peer, type);
    // Everything one message makes the server say to this peer (an error and a close, an ack and
    // a broadcast) leaves in one syscall instead of one per frame.
    const socket = (peer.ws as unknown as { _socket: Duplex })._socket;
    socket.cork();
    try {
      dispatch(peer, parsed.message, this.ctx);
    } catch (err) {
      // A bug or a failing disk must cost one message, not the talk: handlers record before they
      // change memory, so a throw leaves the state as it was. The sender is told; nothing else.
      reportInternal(type, err);
      replyError(peer, 'internal', type);
    } finally {
      socket.uncork();
    }
  }

  /** Tells a flooding client to slow down; one that keeps going is disconnected with 1008. */
  private limited(peer: Connection, ref?: string): void {
    if (!peer.limiter.take('strikes')) return this.refuse(peer, 'rate_limited', CLOSE_CODES.policy, ref ?? 'frame');
    replyError(peer, 'rate_limited', ref);
  }

  private refuse(peer: Peer, code: ErrorCode, closeCode: number, ref: string): void {
    if (code === 'unknown_talk' || code === 'bad_key') return this.wrongGuess(peer as Connection, code, closeCode, ref);
    closeWith(peer, code, closeCode, ref);
  }

  /**
   * A wrong join code or key: counted against the address, and answered later the more wrong
   * guesses the address made lately, or refused once it made too many. Only wrong guesses get
   * here, so the rest of a room behind the same address is never held up (JoinGuard).
   */
  private wrongGuess(peer: Connection, code: ErrorCode, closeCode: number, ref: string): void {
    const address = peerAddress(peer);
    // Each held answer is a timer: past a few per address, judge() refuses the guess now instead.
    const verdict = this.joinGuard.judge(address);
    if (verdict.kind === 'refuse') return closeWith(peer, 'too_many_guesses', closeCode, ref, waitSeconds(verdict.retryMs));
    if (verdict.delayMs === 0) return closeWith(peer, code, closeCode, ref);
    peer.guessAnswer = setTimeout(() => {
      peer.guessAnswer = null;
      this.joinGuard.release(address);
      closeWith(peer, code, closeCode, ref);
    }, verdict.delayMs);
  }

  private forget(peer: Connection): void {
    if (!this.peers.delete(peer)) return;
    if (peer.guessAnswer !== null) {
      clearTimeout(peer.guessAnswer);
      peer.guessAnswer = null;
      this.joinGuard.release(peerAddress(peer));
    }
    this.backlogged.delete(peer);
    if (this.capPerAddress && peer.address !== null) {
      const left = (this.perAddress.get(peer.address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(peer.address, left);
      else this.perAddress.delete(peer.address);
    }
    if (!peer.talk) return;
    const host = this.hosts.get(peer.talk.code);
    host?.room.remove(peer);
    if (peer.role === 'audience') {
      networkBudgetOf(peer.talk).left(peer);
      host?.schedulePresence();
    }
  }

  /**
   * One slice of a heartbeat: the next 1/HEARTBEAT_SLICES of the peers, so each is visited once
   * per heartbeatMs. A peer heard from in the last half heartbeat is skipped: browsers send
   * their own ping every 5 s (client/connection.ts), so at the default 15 s phones are never
   * pinged, and a join storm's newcomers are not pinged a moment after their hello. A peer
   * pinged at the last visit with nothing heard since is dead: a silent peer goes within 1.5
   * to 2.5 heartbeats.
   */
  private beat(): void {
    const now = Date.now();
    if (!this.beatCursor) {
      // A new pass at most once per heartbeatMs, however few peers there are to go through.
      if (now - this.beatStartedAt < this.options.heartbeatMs - 1) return;
      this.beatStartedAt = now;
      this.beatCursor = this.peers.values();
    }
    const fresh = this.options.heartbeatMs / 2;
    for (let n = Math.ceil(this.peers.size / HEARTBEAT_SLICES); n > 0; n--) {
      const next: IteratorResult<Connection> = this.beatCursor.next();
      if (next.done) {
        this.beatCursor = null;
        return;
      }
      const peer = next.value;
      if (peer.pinged) {
        peer.ws.terminate();
        continue;
      }
      if (now - peer.heardAt < fresh) continue;
      peer.pinged = true;
      peer.ws.ping();
    }
  }

  /**
   * A peer that does not read (a frozen phone, a hostile client) makes the server queue bytes
   * for it. Past the threshold it is terminated: memory stays bounded, nobody else waits for it,
   * and it gets a snapshot or a resume when it comes back. Only peers whose queue passed their
   * socket's high-water mark are read (writeFrame reports them): reading all 20 000 queues
   * every 100 ms cost about 3 % of a core during a join storm.
   */
  private dropSlowConsumers(): void {
    const limit = this.options.slowConsumerBytes;
    for (const peer of this.backlogged) {
      const queued = peer.ws.bufferedAmount;
      if (queued > limit) peer.ws.terminate();
      if (queued > limit || queued === 0) this.backlogged.delete(peer);
    }
  }

  /**
   * Sends this node's connections to other nodes (cluster mode, cut off from Redis): each is
   * closed with 1012 at a random moment within `spreadMs`, so they reconnect through the
   * balancer, which has stopped sending new ones here (/healthz), without a stampede.
   */
  drain(spreadMs: number): number {
    const peers = [...this.peers];
    for (const peer of peers) {
      const timer = setTimeout(() => {
        if (peer.ws.readyState === peer.ws.OPEN) peer.ws.close(CLOSE_CODES.serviceRestart, 'node cut off; reconnect');
      }, Math.random() * spreadMs);
      timer.unref();
    }
    return peers.length;
  }

  /** Says goodbye to everyone with 1001 and stops; resolves when every socket is closed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.slowCheck);
    for (const host of this.hosts.values()) host.dispose();
    const closed = [...this.peers].map(
      (peer) =>
        new Promise<void>((resolve) => {
          if (peer.ws.readyState === peer.ws.CLOSED) return resolve();
          peer.ws.once('close', () => resolve());
          peer.ws.close(CLOSE_CODES.goingAway, 'server shutting down');
          // A peer that never answers the close handshake must not hold up the exit.
          setTimeout(() => peer.ws.terminate(), 1000).unref();
        }),
    );
    await Promise.all(closed);
    this.wss.close();
  }
}


/** Where a socket's Peer is kept: one field on the ws object instead of a closure per event. */
const kPeer = Symbol('livedeck.peer');
type PeerSocket = WebSocket & { [kPeer]: Connection; [kBacklog]: BacklogListener };

function destroySocket(this: Duplex): void {
  this.destroy();
}

function closeAfterError(this: WebSocket): void {
  const timer = setTimeout(terminate, CLOSE_AFTER_ERROR_MS, this);
  timer.unref();
  this.once('close', () => clearTimeout(timer));
}

function terminate(ws: WebSocket): void {
  ws.terminate();
}

function markAlive(this: WebSocket): void {
  const peer = (this as PeerSocket)[kPeer];
  peer.heardAt = Date.now();
  peer.pinged = false;
}

/** The peer's IP address (the TCP peer; behind a reverse proxy that is the proxy). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Tells a connection why it is closed, then closes it; one already closing just goes. */
function closeWith(peer: Peer, code: ErrorCode, closeCode: number, ref: string, detail?: string): void {
  if (peer.ws.readyState !== peer.ws.OPEN) return;
  replyError(peer, code, ref, detail);
  peer.ws.close(closeCode, code);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  endUpgrade(socket, `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function endUpgrade(socket: Duplex, response: string): void {
  socket.on('error', destroySocket);
  socket.end(response);
}

/** One stderr line per failure (never the message itself: it may hold a key or someone's text). */
function reportInternal(type: string, err: unknown): void {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`livedeck: internal error while handling "${type}": ${reason.split('\n')[0]}\n`);
}
