/**
 * Sends one change to a talk's connections, each getting the view its role (and person) may
 * see: staff everything, the audience the public view, one participant their own view.
 * Each distinct message is serialised and framed once, however many connections get it, and
 * the same buffer is written to each of them (as Room.broadcast does for deck moves).
 */
import type { Role, ServerMessage } from '../../protocol/messages.ts';
import { textFrame, writeFrame } from '../room/frame.ts';
import type { Peer } from '../room/peer.ts';
import type { Room } from '../room/room.ts';

export interface FanOutPlan {
  /** For presenter and moderator connections; null sends them nothing. */
  staff: ServerMessage | null;
  /** For connections of `publicRoles`; null sends them nothing. */
  public: ServerMessage | null;
  /** Replaces `public` for the audience connections of one participant (their own view). */
  personal?: ReadonlyMap<string, ServerMessage>;
  /**
   * Replaces `public` for the audience connections of these participants (when `personal` has
   * none for them): a question's view marked `voted` for its voters, so a vote by someone else
   * does not take the mark off their copy. Two frames for the room instead of one per phone.
   */
  voted?: { message: ServerMessage; voters: ReadonlySet<string> };
  publicRoles?: readonly Role[];
}

const STAFF_ROLES: readonly Role[] = ['presenter', 'moderator'];
const DEFAULT_PUBLIC_ROLES: readonly Role[] = ['audience', 'screen'];
const STAFF: ReadonlySet<Role | null> = new Set<Role | null>(STAFF_ROLES);

export function isStaffRole(role: Role | null): boolean {
  return STAFF.has(role);
}

/** A message serialised and framed at most once per fan-out. */
class Frames {
  private readonly built = new Map<ServerMessage, Buffer>();

  send(peer: Peer, message: ServerMessage): void {
    let frame = this.built.get(message);
    if (frame === undefined) {
      frame = textFrame(JSON.stringify(message));
      this.built.set(message, frame);
    }
    writeFrame(peer.ws, frame);
  }
}

/** Writes in broadcast order: after any deck move the room holds back for the end of the turn. */
export function fanOut(room: Room, plan: FanOutPlan): void {
  room.inOrder(() => writePlan(room, plan));
}

function writePlan(room: Room, plan: FanOutPlan): void {
  const frames = new Frames();
  const { staff, personal } = plan;
  if (staff) for (const role of STAFF_ROLES) for (const peer of room.membersOf(role)) frames.send(peer, staff);
  for (const role of plan.publicRoles ?? DEFAULT_PUBLIC_ROLES) {
    if (STAFF.has(role)) continue;
    const everyone = plan.public;
    if (role === 'audience' && everyone === null) {
      // Only some people's own views: find their phones, not every phone in the room.
      if (personal) for (const [participant, own] of personal) room.eachConnectionOf(participant, (peer) => frames.send(peer, own));
      continue;
    }
    const voted = role === 'audience' ? plan.voted : undefined;
    for (const peer of room.membersOf(role)) {
      const participant = role === 'audience' ? peer.participant : null;
      const own = personal !== undefined && participant !== null ? personal.get(participant) : undefined;
      const message = own ?? (voted !== undefined && participant !== null && voted.voters.has(participant) ? voted.message : everyone);
      if (message) frames.send(peer, message);
    }
  }
}
