import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CLOSE_CODES, MAX_FRAME_BYTES, type ErrorCode } from '../../protocol/messages.ts';
import { parseClientMessage } from '../../protocol/parse.ts';
import { normalizeJoinCode } from '../talk/secrets.ts';
import { dispatch, replyError, type HandlerContext } from './handlers.ts';
import type { TalkHost } from './host.ts';
import type { Peer } from './peer.ts';
import { sendMessage } from './room.ts';

export interface RelayOptions {
  /** Interval between heartbeats; a peer silent for two of them is terminated. */
  heartbeatMs?: number;
  /** Path the WebSocket endpoint answers on. */
  path?: string;
}

const DEFAULTS: Required<RelayOptions> = { heartbeatMs: 15_000, path: '/ws' };

/**
 * The WebSocket side of the server: accepts upgrades, parses every frame at the edge,
 * dispatches through the handler table, and finds dead peers with ping/pong.
 */
export class Relay {
  private readonly options: Required<RelayOptions>;
  private readonly wss: WebSocketServer;
  private readonly peers = new Set<Peer>();
  private readonly hosts = new Map<string, TalkHost>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly ctx: HandlerContext;

  constructor(options: RelayOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    // Compression is off: it costs CPU per client on every broadcast and our frames are tiny.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
    this.wss.on('connection', (ws) => this.accept(ws));
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.ctx = {
      findTalk: (code) => this.hosts.get(normalizeJoinCode(code)),
      refuse: (peer, code, closeCode, ref) => this.refuse(peer, code, closeCode, ref),
    };
  }

  addTalk(host: TalkHost): void {
    this.hosts.set(host.talk.code, host);
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  /** Wires the relay into an HTTP server's upgrade event. */
  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private accept(ws: WebSocket): void {
    const peer: Peer = { id: randomUUID(), ws, role: null, talk: null, participant: null, alive: true };
    this.peers.add(peer);
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('message', (data, isBinary) => this.receive(peer, data, isBinary));
    // ws reports oversized frames and protocol violations here, then closes the socket itself.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.forget(peer));
  }

  private receive(peer: Peer, data: RawData, isBinary: boolean): void {
    peer.alive = true;
    if (isBinary) return replyError(peer, 'bad_message', undefined, 'Frames must be text.');
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) {
      const { code, message, ref } = parsed;
      return sendMessage(peer, ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
    }
    dispatch(peer, parsed.message, this.ctx);
  }

  private refuse(peer: Peer, code: ErrorCode, closeCode: number, ref: string): void {
    replyError(peer, code, ref);
    peer.ws.close(closeCode, code);
  }

  private forget(peer: Peer): void {
    this.peers.delete(peer);
    if (!peer.talk) return;
    const host = this.hosts.get(peer.talk.code);
    host?.room.remove(peer);
    if (peer.role === 'audience') host?.schedulePresence();
  }

  private beat(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }

  /** Says goodbye to everyone with 1001 and stops; resolves when every socket is closed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
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

