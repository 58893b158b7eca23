/** Small facts about a peer that the audience features share. */
import type { ClientMessage } from '../../protocol/messages.ts';
import type { HandlerContext } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';
import type { Peer } from '../room/peer.ts';

/** Roles that run the talk: they open, close and create polls and see every result. */
const STAFF = new Set<string>(['presenter', 'moderator']);

export function isStaff(peer: Peer): boolean {
  return peer.role !== null && STAFF.has(peer.role);
}

/** Who a ballot or signal belongs to: the browser's stable id, else this connection. */
export function participantOf(peer: Peer): string {
  return peer.participant ?? `conn:${peer.id}`;
}

export function hostOf(peer: Peer, ctx: HandlerContext): TalkHost | undefined {
  return peer.talk ? ctx.findTalk(peer.talk.code) : undefined;
}

/** A handler for one client message type, the same shape as the relay's handler table. */
export type FeatureHandler<T extends ClientMessage['type']> = (
  peer: Peer,
  message: Extract<ClientMessage, { type: T }>,
  ctx: HandlerContext,
) => void;
