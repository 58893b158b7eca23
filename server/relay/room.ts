import type { Role, ServerMessage } from '../../protocol/messages.ts';
import { textFrame, writeFrame } from './frame.ts';
import type { Peer } from './peer.ts';

const ALL_ROLES: readonly Role[] = ['presenter', 'moderator', 'screen', 'audience'];

/**
 * Everyone connected to one talk, by role. A broadcast is serialised and framed once, and the
 * same frame buffer is written to every socket: no per-client JSON, copy or allocation on the
 * hot path (see docs/performance.md for what that buys at 10 000 phones).
 */
export class Room {
  private readonly members: Record<Role, Set<Peer>> = {
    audience: new Set(),
    screen: new Set(),
    presenter: new Set(),
    moderator: new Set(),
  };

  add(peer: Peer, role: Role): void {
    this.members[role].add(peer);
  }

  remove(peer: Peer): void {
    if (peer.role) this.members[peer.role].delete(peer);
  }

  count(role: Role): number {
    return this.members[role].size;
  }

  /** Sends one message to every member of the given roles (all roles by default). */
  broadcast(message: ServerMessage, roles: readonly Role[] = ALL_ROLES): void {
    const json = JSON.stringify(message);
    const frame = textFrame(json);
    for (const role of roles) {
      for (const peer of this.members[role]) writeFrame(peer.ws, frame, json);
    }
  }

  all(): Iterable<Peer> {
    return [...this.members.presenter, ...this.members.moderator, ...this.members.screen, ...this.members.audience];
  }
}

/** Sends pre-serialised data if the socket is open; a closing socket just misses it (it resyncs on reconnect). */
export function send(peer: Peer, data: string): void {
  if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(data);
}

export function sendMessage(peer: Peer, message: ServerMessage): void {
  send(peer, JSON.stringify(message));
}
