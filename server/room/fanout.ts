import type { Role, ServerMessage } from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';

/**
 * The fan-out seam: everyone connected to one talk, by role. Handlers only use this, so the
 * in-process Room (the default) can be replaced by one that also publishes through Redis
 * pub/sub to other server processes, without touching a handler.
 */
export interface Fanout {
  add(peer: Peer, role: Role): void;
  remove(peer: Peer): void;
  count(role: Role): number;
  /** Sends one message to every member of the given roles (all roles by default). */
  broadcast(message: ServerMessage, roles?: readonly Role[]): void;
}
