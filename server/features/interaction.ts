/**
 * Audience interaction part A (questions and chat) as the relay sees it: the handlers for the
 * handler table, the replayers for start-up, and what a connection gets right after its welcome.
 */
import type { Peer } from '../room/peer.ts';
import type { Replayer, Talk } from '../talk/talk.ts';
import { chatHandlers, chatReplayers, chatSnapshotJson } from './chat/index.ts';
import { muteHandlers, muteReplayers, muteSnapshotJson } from './mute/index.ts';
import { topicHandlers, topicsSnapshotJson } from './topics/index.ts';

export const interactionHandlers = { ...chatHandlers, ...muteHandlers, ...topicHandlers };

export function interactionReplayers(talk: Talk): Record<string, Replayer> {
  return { ...chatReplayers(talk), ...muteReplayers(talk) };
}

/** Snapshots (as JSON) that complete the welcome, in order, so late joiners and reconnects see every question and the chat. */
export function interactionSnapshots(peer: Peer, talk: Talk): string[] {
  const chat = chatSnapshotJson(peer, talk);
  const rest = [...muteSnapshotJson(peer, talk), ...topicsSnapshotJson(peer, talk)];
  return chat === null ? rest : [chat, ...rest];
}
