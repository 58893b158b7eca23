import type { WebSocket } from 'ws';
import type { Role } from '../../protocol/messages.ts';
import type { Talk } from '../talk/talk.ts';

/** One WebSocket connection and what the server knows about it. */
export interface Peer {
  readonly id: string;
  readonly ws: WebSocket;
  /** Set by a successful hello; null until then. */
  role: Role | null;
  talk: Talk | null;
  participant: string | null;
  /** The client's IP address once something needed it (peerAddress); the relay may fill it at the upgrade. */
  address?: string | null;
}

/**
 * A connection's IP address (the TCP peer; behind a reverse proxy, the proxy), asked of the
 * kernel the first time it is needed and kept: most phones never need it (docs/performance.md).
 */
export function peerAddress(peer: Peer): string {
  peer.address ??= (peer.ws as unknown as { _socket?: { remoteAddress?: string } })._socket?.remoteAddress ?? 'unknown';
  return peer.address;
}
