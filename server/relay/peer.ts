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
}
