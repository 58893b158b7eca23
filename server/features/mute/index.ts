/**
 * Muting: the presenter or a moderator pauses one participant's questions and chat. Stored in
 * the talk's log like every other change (so a restart keeps the participant muted), told to
 * that participant's phones in words, and to staff as the list of muted handles.
 */
import type { ServerMessage } from '../../../protocol/messages.ts';
import { MUTED_TEXT, UNMUTED_TEXT } from '../../../protocol/qa-more.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import type { Talk } from '../../talk/talk.ts';
import type { StoredEvent } from '../../store/types.ts';
import { chatOf } from '../chat/index.ts';
import { fanOut, isStaffRole } from '../fanout.ts';
import { qaOf } from '../qa/index.ts';
import { refuse } from '../reply.ts';
import { commitFailed } from '../committed.ts';
import { authorOf } from './author.ts';

export const MUTE_EVENTS = { muted: 'participant.muted' } as const;

export interface MutedData {
  participant: string;
  on: boolean;
}

/**
 * Who is muted in one talk, with when it happened (for the export). Kept per talk rather than
 * in the feature's closure because questions and chat ask isMuted, and the export lists it.
 */
const mutes = new WeakMap<Talk, Map<string, number>>();

function mutesOf(talk: Talk): Map<string, number> {
  let muted = mutes.get(talk);
  if (!muted) {
    muted = new Map();
    mutes.set(talk, muted);
  }
  return muted;
}

export function isMuted(talk: Talk, participant: string): boolean {
  return mutes.get(talk)?.has(participant) ?? false;
}

/** Muted participants as staff name them, with the time they were muted. */
export function mutedAuthors(talk: Talk): { author: string; at: number }[] {
  return [...mutesOf(talk)].map(([participant, at]) => ({ author: authorOf(participant), at }));
}

/** False for an event that changes nothing (two staff muting at once, on two nodes). */
function apply(talk: Talk, event: StoredEvent): boolean {
  const data = event.data as MutedData;
  if (isMuted(talk, data.participant) === data.on) return false;
  if (data.on) mutesOf(talk).set(data.participant, event.at);
  else mutesOf(talk).delete(data.participant);
  return true;
}

/** The participant behind a handle: someone who asked or chatted (nobody else can be named). */
function participantOf(talk: Talk, author: string): string | null {
  for (const q of qaOf(talk).board.all()) if (authorOf(q.asker) === author) return q.asker;
  for (const line of chatOf(talk).log.all()) if (authorOf(line.sender) === author) return line.sender;
  for (const participant of mutesOf(talk).keys()) if (authorOf(participant) === author) return participant;
  return null;
}

function mutesMessage(talk: Talk, seq: number): ServerMessage {
  return { type: 'mutes', seq, authors: mutedAuthors(talk).map((m) => m.author) };
}

function mutedMessage(seq: number, muted: boolean): ServerMessage {
  return { type: 'muted', seq, muted, message: muted ? MUTED_TEXT : UNMUTED_TEXT };
}

/** After the Q&A and chat snapshots: a muted phone is told again; staff get the list when it is not empty. */
export function muteSnapshotJson(peer: Peer, talk: Talk): string[] {
  if (isStaffRole(peer.role)) return mutesOf(talk).size > 0 ? [JSON.stringify(mutesMessage(talk, talk.seq))] : [];
  if (peer.role === 'audience' && peer.participant !== null && isMuted(talk, peer.participant)) return [JSON.stringify(mutedMessage(talk.seq, true))];
  return [];
}

export function muteFeature(host: TalkHost): Feature {
  const { talk } = host;
  const mute: Handler<'mute'> = (peer, msg) => {
    if (!isStaffRole(peer.role)) return refuse(peer, 'forbidden', 'mute', 'Only the presenter and moderators mute.');
    const participant = participantOf(talk, msg.author);
    if (participant === null) return refuse(peer, 'not_found', 'mute', 'Nobody who asked or chatted has that handle.');
    if (isMuted(talk, participant) === msg.on) return;
    const data: MutedData = { participant, on: msg.on };
    // Set semantics across nodes: two moderators muting one person at once store one change.
    const gate = { unique: { map: 'mute', field: participant, value: msg.on ? '1' : '0' } };
    talk.commit({ kind: MUTE_EVENTS.muted, data, participant: null, key: null }, gate).catch(commitFailed(peer, 'mute'));
  };
  return {
    name: 'mute',
    kinds: Object.values(MUTE_EVENTS),
    handlers: { mute },
    apply(event, live) {
      if (!apply(talk, event) || !live) return;
      const { participant, on } = event.data as MutedData;
      fanOut(host.room, {
        staff: mutesMessage(talk, event.seq),
        public: null,
        personal: new Map([[participant, mutedMessage(event.seq, on)]]),
        publicRoles: ['audience'],
      });
    },
    joined: (peer) => muteSnapshotJson(peer, talk),
  };
}
