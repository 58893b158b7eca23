/**
 * Sends one change to a talk's connections, each getting the view its role (and person) may
 * see: staff everything, the audience the public view, one participant their own view.
 * Each distinct message is serialised once however many connections get it.
 */
import type { Role, ServerMessage } from '../../protocol/messages.ts';
import type { Peer } from '../relay/peer.ts';
import { send, type Room } from '../relay/room.ts';

export interface FanOutPlan {
  /** For presenter and moderator connections; null sends them nothing. */
  staff: ServerMessage | null;
  /** For connections of `publicRoles`; null sends them nothing. */
  public: ServerMessage | null;
  /** Replaces `public` for the audience connections of one participant (their own view). */
  personal?: ReadonlyMap<string, ServerMessage>;
  publicRoles?: readonly Role[];
}

const STAFF: ReadonlySet<Role | null> = new Set<Role | null>(['presenter', 'moderator']);

export function isStaffRole(role: Role | null): boolean {
  return STAFF.has(role);
}

export function fanOut(room: Room, plan: FanOutPlan): void {
  const publicRoles = new Set<Role>(plan.publicRoles ?? ['audience', 'screen']);
  const cache = new Map<ServerMessage, string>();
  const frame = (m: ServerMessage) => {
    let data = cache.get(m);
    if (data === undefined) {
      data = JSON.stringify(m);
      cache.set(m, data);
    }
    return data;
  };
  for (const peer of room.all()) {
    const message = pick(peer, plan, publicRoles);
    if (message) send(peer, frame(message));
  }
}

function pick(peer: Peer, plan: FanOutPlan, publicRoles: ReadonlySet<Role>): ServerMessage | null {
  if (isStaffRole(peer.role)) return plan.staff;
  if (!peer.role || !publicRoles.has(peer.role)) return null;
  const own = peer.role === 'audience' && peer.participant !== null ? plan.personal?.get(peer.participant) : undefined;
  return own ?? plan.public;
}

/** Addresses one participant: every audience connection (phone, laptop…) they have open. */
export function toParticipant(room: Room, participant: string, message: ServerMessage): void {
  fanOut(room, { staff: null, public: null, personal: new Map([[participant, message]]), publicRoles: ['audience'] });
}
