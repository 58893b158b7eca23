import type { Role, ServerMessage } from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';

/**
 * Everyone connected to one talk, by role. Broadcasts serialise once and send the same
 * string to every member: no per-client JSON on the hot path.
 */
export class Room {
  private readonly members: Record<Role, Set<Peer>> = {
    audience: new Set(),
    screen: new Set(),
    presenter: new Set(),
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
  broadcast(message: ServerMessage, roles: readonly Role[] = ['presenter', 'screen', 'audience']): void {
    const data = JSON.stringify(message);
    for (const role of roles) {
      for (const peer of this.members[role]) send(peer, data);
    }
  }

  all(): Iterable<Peer> {
    return [...this.members.presenter, ...this.members.screen, ...this.members.audience];
  }
}

/** Sends pre-serialised data if the socket is open; a closing socket just misses it (it resyncs on reconnect). */
export function send(peer: Peer, data: string): void {
  if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(data);
}

export function sendMessage(peer: Peer, message: ServerMessage): void {
  send(peer, JSON.stringify(message));
}
