/**
 * Chat: the audience talks to the room; the presenter and moderators may delete lines.
 * Same durability rule as questions: a handler commits the event to the talk's log; the line is
 * applied and told (on every node, in seq order) by `apply`, and the sender's ack waits for it.
 */
import type { ServerMessage } from '../../../protocol/messages.ts';
import { QA_LIMITS, type ChatSnapshotMessage } from '../../../protocol/qa.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import type { Talk } from '../../talk/talk.ts';
import { fanOut, isStaffRole } from '../fanout.ts';
import { PerSeq } from '../per-seq.ts';
import { audienceMember, waitText } from '../qa/index.ts';
import { describeWindow, WindowLimiter } from '../qa/window.ts';
import { ack, refuse } from '../reply.ts';
import { checkWritten } from '../written.ts';
import { networkBudgetOf, networkRefusal } from '../network-budget.ts';
import { isMuted } from '../mute/index.ts';
import { chatRoles } from '../live/wall-state.ts';
import { ackWhenCommitted, commitFailed, refundUnlessStored } from '../committed.ts';
import { CHAT_EVENTS, ChatLog, sentLineId, type ChatChange, type DeletedData, type SentData } from './log.ts';

export { ChatLog, CHAT_EVENTS } from './log.ts';

interface ChatFeature {
  log: ChatLog;
  limiter: WindowLimiter;
  /** Snapshot JSON for everyone who sees the chat as a newcomer does (all but its senders). */
  snapshots: PerSeq<'stranger' | 'staff'>;
}

const features = new WeakMap<Talk, ChatFeature>();

export function chatOf(talk: Talk): ChatFeature {
  let feature = features.get(talk);
  if (!feature) {
    feature = { log: new ChatLog(), limiter: new WindowLimiter(QA_LIMITS.chat), snapshots: new PerSeq() };
    features.set(talk, feature);
  }
  return feature;
}

/**
 * The chat as a feature. Its state stays in the talk's ChatLog (chatOf) rather than in this
 * closure because the live wall and the export read the lines, and mute looks up senders.
 */
export function chatFeature(host: TalkHost): Feature {
  const chat = chatOf(host.talk);

  const send: Handler<'chat'> = (peer, msg) => {
    const participant = audienceMember(peer, 'chat', msg.key, 'chat');
    if (!participant) return;
    const seen = chat.log.seenKey(participant, msg.key);
    if (seen !== undefined) return ack(peer, msg.key, seen);

    if (isMuted(host.talk, participant)) return refuse(peer, 'muted', 'chat', undefined, msg.key);
    const written = checkWritten(peer, 'chat', msg.key, msg, { noun: 'message', maxChars: QA_LIMITS.chatChars, whenEmpty: 'Type a message first.' });
    if (!written) return;
    const { text, name } = written;
    const wait = chat.limiter.take(participant);
    if (wait > 0) {
      const { count, windowMs } = QA_LIMITS.chat;
      return refuse(peer, 'rate_limited', 'chat', `You can send ${count} messages in ${describeWindow(windowMs)}. ${waitText(wait)}`, msg.key);
    }
    const networkWait = networkBudgetOf(host.talk).take(peer, 'chat');
    if (networkWait > 0) {
      chat.limiter.giveBack(participant);
      return refuse(peer, 'rate_limited', 'chat', `${networkRefusal('chat')} ${waitText(networkWait)}`, msg.key);
    }
    const data: SentData = { id: sentLineId(participant, msg.key), text, name };
    const committed = host.talk.commit({ kind: CHAT_EVENTS.sent, data, participant, key: msg.key });
    refundUnlessStored(committed, () => {
      chat.limiter.giveBack(participant);
      networkBudgetOf(host.talk).giveBack(peer, 'chat');
    });
    ackWhenCommitted(peer, 'chat', msg.key, committed);
  };

  const remove: Handler<'chat_delete'> = (peer, msg) => {
    if (!isStaffRole(peer.role)) return refuse(peer, 'forbidden', 'chat_delete', 'Only the presenter and moderators delete chat.');
    if (!chat.log.get(msg.id)) return refuse(peer, 'not_found', 'chat_delete');
    const data: DeletedData = { id: msg.id };
    host.talk.commit({ kind: CHAT_EVENTS.deleted, data, participant: null, key: null }).catch(commitFailed(peer, 'chat_delete'));
  };

  return {
    name: 'chat',
    kinds: Object.values(CHAT_EVENTS),
    handlers: { chat: send, chat_delete: remove },
    apply(event, live) {
      const change = chat.log.apply(event);
      if (live) publish(host, chat.log, event.seq, change);
    },
    joined(peer) {
      const snapshot = chatSnapshotJson(peer, host.talk);
      return snapshot === null ? [] : [snapshot];
    },
  };
}

/** Right after the Q&A snapshot: the last chat lines; none for the screen (its wall gets its lines from wall_state, server/features/live/). */
export function chatSnapshot(peer: Peer, talk: Talk): ChatSnapshotMessage | null {
  if (peer.role === 'screen') return null;
  const { log } = chatOf(talk);
  return { type: 'chat_snapshot', seq: talk.seq, lines: log.tail(peer.role === 'audience' ? peer.participant : null, isStaffRole(peer.role)) };
}

/** chatSnapshot as JSON; made once per seq for all who never sent a line, and once for staff (who see senders' handles). */
export function chatSnapshotJson(peer: Peer, talk: Talk): string | null {
  if (peer.role === 'screen') return null;
  const { log, snapshots } = chatOf(talk);
  if (isStaffRole(peer.role)) return snapshots.get(talk.seq, 'staff', chatSnapshotText, peer, talk);
  const viewer = peer.role === 'audience' ? peer.participant : null;
  return viewer !== null && log.involves(viewer) ? chatSnapshotText(peer, talk) : snapshots.get(talk.seq, 'stranger', chatSnapshotText, peer, talk);
}

function chatSnapshotText(peer: Peer, talk: Talk): string {
  return JSON.stringify(chatSnapshot(peer, talk));
}

function publish(host: TalkHost, log: ChatLog, seq: number, change: ChatChange): void {
  if (change.kind === 'sent') {
    const line: ServerMessage = { type: 'chat_line', seq, line: log.view(change.line) };
    const staff: ServerMessage = { type: 'chat_line', seq, line: log.view(change.line, null, true) };
    const own: ServerMessage = { type: 'chat_line', seq, line: log.view(change.line, change.line.sender) };
    fanOut(host.room, { staff, public: line, personal: new Map([[change.line.sender, own]]), publicRoles: chatRoles(host.talk) });
  } else if (change.kind === 'deleted') {
    const removed: ServerMessage = { type: 'chat_removed', seq, id: change.line.id };
    fanOut(host.room, { staff: removed, public: removed, publicRoles: chatRoles(host.talk) });
  }
}
