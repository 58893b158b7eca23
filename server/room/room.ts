import type { Role, ServerMessage } from '../../protocol/messages.ts';
import { textFrame, textFrames, writeFrame } from './frame.ts';
import type { Peer } from './peer.ts';

const ALL_ROLES: readonly Role[] = ['presenter', 'moderator', 'screen', 'audience'];

export interface RoomOptions {
  /** Deck moves are coalesced while the last deck fan-out took at least this long (0: always). */
  coalesceAfterMs?: number;
  /**
   * ...and only in rooms at least this big. Time alone would make a small room under a GC pause
   * or a busy machine skip moves for no gain; a small room's fan-out never builds a queue.
   */
  coalesceMinMembers?: number;
}

const DEFAULT_COALESCE_MIN_MEMBERS = 500;

/** About 1 000 phones' worth of writes: below it every move is sent, above it the newest wins. */
const DEFAULT_COALESCE_AFTER_MS = 10;

/**
 * A broadcast, another feature's batch of writes, or a peer that joined while they wait: all
 * held for the end of the current I/O turn, in order.
 */
type Pending = { message: ServerMessage; roles: readonly Role[] } | { write: () => void } | { join: Peer; role: Role };

/**
 * Everyone connected to one talk, by role. A broadcast is serialised and framed once, and the
 * same frame buffer is written to every socket: no per-client JSON, copy or allocation on the
 * hot path (see docs/performance.md for what that buys at 10 000 phones).
 *
 * Deck moves are coalesced once a fan-out gets expensive: when the last deck fan-out took
 * `coalesceAfterMs` or more, a `deck` broadcast goes out at the end of the current I/O turn
 * (setImmediate) and a newer `deck` for the same roles replaces one still waiting. The deck
 * state is absolute, so nobody needs the superseded one; without this, a presenter stepping
 * faster than one fan-out takes (10 000 phones × ~10 µs ≈ 100 ms of write syscalls) builds a
 * queue that only grows. Small rooms (under `coalesceMinMembers`) get every move.
 * Everything broadcast after a waiting deck queues behind it, so broadcasts keep their order
 * (and their rising seq). A peer that joins meanwhile was answered with the talk as it is now,
 * waiting move included (a welcome's deck, a resume's replay), so it becomes a member only at
 * its place in the queue: it gets what was queued after its join and nothing twice.
 */
export class Room {
  private pending: Pending[] | null = null;
  private lastDeckFanoutMs = 0;
  private readonly coalesceAfterMs: number;
  private readonly coalesceMinMembers: number;

  constructor(options: RoomOptions = {}) {
    this.coalesceAfterMs = options.coalesceAfterMs ?? DEFAULT_COALESCE_AFTER_MS;
    this.coalesceMinMembers = options.coalesceMinMembers ?? DEFAULT_COALESCE_MIN_MEMBERS;
  }

  private readonly members: Record<Role, Set<Peer>> = {
    audience: new Set(),
    screen: new Set(),
    presenter: new Set(),
    moderator: new Set(),
  };

  /**
   * Audience connections by participant, so a message for one person (their own view of a
   * question, a chat line) reaches their phones without a pass over 10 000 others. Nearly
   * everyone has one connection, kept as is; a Set only for someone on several devices.
   */
  private readonly byParticipant = new Map<string, Peer | Set<Peer>>();

  /** Joiners queued behind waiting writes, by role: counted as members already. */
  private readonly joining: Record<Role, number> = { audience: 0, screen: 0, presenter: 0, moderator: 0 };

  add(peer: Peer, role: Role): void {
    if (this.pending) {
      this.pending.push({ join: peer, role });
      this.joining[role]++;
      return;
    }
    this.join(peer, role);
  }

  private join(peer: Peer, role: Role): void {
    this.members[role].add(peer);
    if (role !== 'audience' || peer.participant === null) return;
    const held = this.byParticipant.get(peer.participant);
    if (held === undefined) this.byParticipant.set(peer.participant, peer);
    else if (held instanceof Set) held.add(peer);
    else if (held !== peer) this.byParticipant.set(peer.participant, new Set([held, peer]));
  }

  remove(peer: Peer): void {
    if (!peer.role) return;
    const queued = this.pending?.findIndex((p) => 'join' in p && p.join === peer) ?? -1;
    if (queued >= 0) {
      this.pending!.splice(queued, 1);
      this.joining[peer.role]--;
      return;
    }
    this.members[peer.role].delete(peer);
    if (peer.role !== 'audience' || peer.participant === null) return;
    const held = this.byParticipant.get(peer.participant);
    if (held === peer) this.byParticipant.delete(peer.participant);
    else if (held instanceof Set) {
      held.delete(peer);
      if (held.size === 1) this.byParticipant.set(peer.participant, held.values().next().value!);
    }
  }

  count(role: Role): number {
    return this.members[role].size + this.joining[role];
  }

  /** The connections of one role, live (not a copy): for fan-outs that pick a view per connection. */
  membersOf(role: Role): ReadonlySet<Peer> {
    return this.members[role];
  }

  /** Calls `fn` for each audience connection of one participant. */
  eachConnectionOf(participant: string, fn: (peer: Peer) => void): void {
    const held = this.byParticipant.get(participant);
    if (held === undefined) return;
    if (held instanceof Set) for (const peer of held) fn(peer);
    else fn(held);
  }

  private size(): number {
    return this.members.audience.size + this.members.screen.size + this.members.presenter.size + this.members.moderator.size;
  }

  /** Sends one message to every member of the given roles (all roles by default). */
  broadcast(message: ServerMessage, roles: readonly Role[] = ALL_ROLES): void {
    const pending = this.pending;
    if (pending) {
      if (message.type === 'deck') {
        const older = pending.findIndex((p) => 'message' in p && p.message.type === 'deck' && sameRoles(p.roles, roles));
        if (older >= 0) pending.splice(older, 1);
      }
      pending.push({ message, roles });
      return;
    }
    if (message.type !== 'deck') return this.fanOut(message, roles);
    if (this.lastDeckFanoutMs >= this.coalesceAfterMs && this.size() >= this.coalesceMinMembers) {
      this.pending = [{ message, roles }];
      setImmediate(() => this.flush());
      return;
    }
    this.fanOut(message, roles);
  }

  /**
   * Runs writes that are not a plain broadcast (a fan-out with a view per role or person, a
   * batch of coalesced messages) in broadcast order: now, or after a deck move that is
   * waiting for the end of the turn. Without this a Q&A message stamped with a later seq
   * would reach phones before the move stamped earlier.
   */
  inOrder(write: () => void): void {
    if (this.pending) this.pending.push({ write });
    else write();
  }

  private flush(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    for (const p of pending) {
      if ('write' in p) p.write();
      else if ('join' in p) {
        this.joining[p.role]--;
        this.join(p.join, p.role);
      } else this.fanOut(p.message, p.roles);
    }
  }

  private fanOut(message: ServerMessage, roles: readonly Role[]): void {
    const started = message.type === 'deck' ? performance.now() : 0;
    this.writeToRoles(roles, textFrame(JSON.stringify(message)));
    if (message.type === 'deck') this.lastDeckFanoutMs = performance.now() - started;
  }

  /**
   * Writes prebuilt frames (one, or several from textFrames) to every member of these roles:
   * the same buffer for everyone, one write each. For features that batch their own messages.
   */
  writeToRoles(roles: readonly Role[], frame: Buffer): void {
    for (const role of roles) {
      for (const peer of this.members[role]) writeFrame(peer.ws, frame);
    }
  }
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a === b || (a.length === b.length && a.every((r, i) => r === b[i]));
}

/**
 * Sends pre-serialised data if the socket is open; a closing socket just misses it (it resyncs
 * on reconnect). The frame is built in one buffer and written directly, as broadcasts are:
 * inside Relay.receive's cork, a joiner's welcome and snapshots then leave in one writev.
 */
export function send(peer: Peer, data: string): void {
  writeFrame(peer.ws, textFrame(data));
}

/** Several messages to one peer, in order, in one buffer and one write (a welcome and its snapshots). */
export function sendAll(peer: Peer, data: readonly string[]): void {
  writeFrame(peer.ws, textFrames(data));
}

export function sendMessage(peer: Peer, message: ServerMessage): void {
  send(peer, JSON.stringify(message));
}
