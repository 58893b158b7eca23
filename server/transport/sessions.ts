import { randomBytes } from 'node:crypto';
import { FALLBACK_LIMITS } from '../../protocol/transport.ts';
import { SessionSocket } from './session-socket.ts';

/**
 * The fallback sessions this process holds, by id. An id is `<node>.<secret>`: `node` names
 * this process (a cluster's load balancer routes on it, docs/protocol.md), the secret (128
 * random bits) is what lets a request act as the session, like holding a WebSocket open.
 */
export class SessionRegistry {
  readonly node: string;
  private readonly sessions = new Map<string, SessionSocket>();

  constructor(node: string = randomBytes(6).toString('base64url')) {
    this.node = node;
  }

  create(address: string): SessionSocket {
    const id = `${this.node}.${randomBytes(16).toString('base64url')}`;
    const session = new SessionSocket(id, address, (s, linger) => this.gone(s, linger));
    this.sessions.set(id, session);
    return session;
  }

  get(id: string | null): SessionSocket | undefined {
    return id === null ? undefined : this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A closed session stays a while, so a poll arriving after the close still reads why. */
  private gone(session: SessionSocket, linger: boolean): void {
    if (!linger) {
      this.sessions.delete(session.id);
      return;
    }
    setTimeout(() => {
      if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    }, FALLBACK_LIMITS.closedLingerMs).unref();
  }
}
