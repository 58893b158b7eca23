/**
 * Audience interaction part A (questions and chat) as the relay sees it: the handlers for the
 * handler table, the replayers for start-up, and what a connection gets right after its welcome.
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import type { Peer } from '../relay/peer.ts';
import { sendMessage } from '../relay/room.ts';
import type { Replayer, Talk } from '../talk/talk.ts';
import { chatHandlers, chatReplayers, chatSnapshot } from './chat/index.ts';
import { qaHandlers, qaReplayers, qaSnapshot } from './qa/index.ts';

export const interactionHandlers = { ...qaHandlers, ...chatHandlers };

export function interactionReplayers(talk: Talk): Record<string, Replayer> {
  return { ...qaReplayers(talk), ...chatReplayers(talk) };
}

/** Snapshots that complete the welcome, in order, so late joiners and reconnects see every question and the chat. */
export function interactionSnapshots(peer: Peer, talk: Talk): ServerMessage[] {
  const chat = chatSnapshot(peer, talk);
  return chat ? [qaSnapshot(peer, talk), chat] : [qaSnapshot(peer, talk)];
}

/** The same snapshots sent one by one (after a resume). */
export function sendInteractionSnapshots(peer: Peer, talk: Talk): void {
  for (const message of interactionSnapshots(peer, talk)) sendMessage(peer, message);
}
