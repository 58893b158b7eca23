/**
 * Questions (Q&A): the audience asks and upvotes, the presenter and moderators moderate.
 * Every write is recorded in the talk's log before memory changes or anyone hears of it, and
 * the sender's `ack` follows only then. Roles are enforced here, not in the pages.
 */
import type { ClientMessage, ServerMessage } from '../../../protocol/messages.ts';
import { isPublic, QA_LIMITS, type QaClientMessage, type QaSnapshotMessage, type SlideRef } from '../../../protocol/qa.ts';
import type { HandlerContext } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import type { Talk } from '../../talk/talk.ts';
import { fanOut, isStaffRole } from '../fanout.ts';
import { PerSeq } from '../per-seq.ts';
import { ack, refuse } from '../reply.ts';
import { ackWhenCommitted, commitFailed, refundUnlessStored } from '../committed.ts';
import type { Feature } from '../../talk/feature.ts';
import { ownQuestionHandlers } from './own.ts';
import { checkWritten } from '../written.ts';
import { networkBudgetOf, networkRefusal } from '../network-budget.ts';
import { askedId, QA_EVENTS, QaBoard, type AskedData, type ModeData, type ModeratedData, type QaChange, type VotedData } from './board.ts';
import { PublicVotes } from './public-votes.ts';
import { isMuted } from '../mute/index.ts';
import { describeWindow, WindowLimiter } from './window.ts';

export { QaBoard, QA_EVENTS } from './board.ts';

interface QaFeature {
  board: QaBoard;
  ask: WindowLimiter;
  upvote: WindowLimiter;
  /** Snapshot JSON for everyone who sees the board as a newcomer does, by kind of viewer. */
  snapshots: PerSeq<'staff' | 'stranger' | 'anonymous'>;
}

const features = new WeakMap<Talk, QaFeature>();
const publicVotes = new WeakMap<TalkHost, PublicVotes>();

function publicVotesOf(host: TalkHost, board: QaBoard): PublicVotes {
  let votes = publicVotes.get(host);
  if (!votes) {
    votes = new PublicVotes(host, board);
    publicVotes.set(host, votes);
  }
  return votes;
}

export function qaOf(talk: Talk): QaFeature {
  let feature = features.get(talk);
  if (!feature) {
    feature = { board: new QaBoard(), ask: new WindowLimiter(QA_LIMITS.ask), upvote: new WindowLimiter(QA_LIMITS.upvote), snapshots: new PerSeq() };
    features.set(talk, feature);
  }
  return feature;
}

/**
 * Questions as a feature: every Q&A event (asked, voted, moderated, mode, and the asker's and
 * staff's own changes in own.ts) is applied here, in seq order, whichever node committed it.
 */
export function qaFeature(host: TalkHost): Feature {
  const { board } = qaOf(host.talk);
  return {
    name: 'qa',
    kinds: Object.values(QA_EVENTS),
    handlers: { ...qaHandlers, ...ownQuestionHandlers },
    apply(event, live) {
      if (live) publish(host, board, event.seq, () => board.apply(event));
      else board.apply(event);
    },
    joined: (peer) => [qaSnapshotJson(peer, host.talk)],
  };
}

/** Right after the welcome: every question this connection may see. */
export function qaSnapshot(peer: Peer, talk: Talk): QaSnapshotMessage {
  const { board } = qaOf(talk);
  return {
    type: 'qa_snapshot',
    seq: talk.seq,
    approveFirst: board.approveFirst,
    highlight: board.highlight,
    questions: board.snapshot(isStaffRole(peer.role), peer.role === 'audience' ? peer.participant : null),
  };
}

/**
 * qaSnapshot as JSON. Someone who never asked or voted sees what every other newcomer sees
 * (nothing is theirs, nothing voted), so that text is made once per seq for the whole storm.
 */
export function qaSnapshotJson(peer: Peer, talk: Talk): string {
  const { board, snapshots } = qaOf(talk);
  const viewer = peer.role === 'audience' ? peer.participant : null;
  if (isStaffRole(peer.role)) return snapshots.get(talk.seq, 'staff', qaSnapshotText, peer, talk);
  if (viewer === null) return snapshots.get(talk.seq, 'anonymous', qaSnapshotText, peer, talk);
  return board.involves(viewer) ? qaSnapshotText(peer, talk) : snapshots.get(talk.seq, 'stranger', qaSnapshotText, peer, talk);
}

function qaSnapshotText(peer: Peer, talk: Talk): string {
  return JSON.stringify(qaSnapshot(peer, talk));
}

type QaHandler<T extends QaClientMessage['type']> = (peer: Peer, message: Extract<ClientMessage, { type: T }>, ctx: HandlerContext) => void;

function hostOf(peer: Peer, ctx: HandlerContext, ref: string): TalkHost | undefined {
  const host = peer.talk ? ctx.findTalk(peer.talk.code) : undefined;
  if (!host) refuse(peer, 'not_joined', ref);
  return host;
}

/** The audience member behind a write, or an error reply (with the key, so the outbox lets go). */
export function audienceMember(peer: Peer, ref: string, key: string, what: string): string | null {
  if (peer.role !== 'audience') {
    refuse(peer, 'forbidden', ref, `Only audience connections ${what}.`, key);
    return null;
  }
  if (!peer.participant) {
    refuse(peer, 'no_participant', ref, undefined, key);
    return null;
  }
  return peer.participant;
}

function slideInDeck(slide: SlideRef, stacks: readonly number[]): boolean {
  const stack = stacks[slide.indexh];
  return stack !== undefined && slide.indexv < stack;
}

export function waitText(ms: number): string {
  return `Try again in ${Math.max(1, Math.ceil(ms / 1000))} s.`;
}

const qaHandlers: { [K in 'ask' | 'upvote' | 'moderate' | 'qa_mode']: QaHandler<K> } = {
  ask(peer, msg, ctx) {
    const host = hostOf(peer, ctx, 'ask');
    if (!host) return;
    const participant = audienceMember(peer, 'ask', msg.key, 'ask questions');
    if (!participant) return;
    const { talk } = host;
    const qa = qaOf(talk);
    const seen = qa.board.seenKey(participant, msg.key);
    if (seen !== undefined) return ack(peer, msg.key, seen);

    if (isMuted(talk, participant)) return refuse(peer, 'muted', 'ask', undefined, msg.key);
    const written = checkWritten(peer, 'ask', msg.key, msg, { noun: 'question', maxChars: QA_LIMITS.questionChars, whenEmpty: 'Type a question first.' });
    if (!written) return;
    const { text, name } = written;
    if (!slideInDeck(msg.slide, talk.info.stacks)) return refuse(peer, 'out_of_range', 'ask', undefined, msg.key);
    const wait = qa.ask.take(participant);
    if (wait > 0) {
      const { count, windowMs } = QA_LIMITS.ask;
      return refuse(peer, 'rate_limited', 'ask', `You can ask ${count} questions in ${describeWindow(windowMs)}. ${waitText(wait)}`, msg.key);
    }
    const networkWait = networkBudgetOf(talk).take(peer, 'ask');
    if (networkWait > 0) {
      qa.ask.giveBack(participant);
      return refuse(peer, 'rate_limited', 'ask', `${networkRefusal('ask')} ${waitText(networkWait)}`, msg.key);
    }

    const data: AskedData = { id: askedId(participant, msg.key), text, name, slide: { ...msg.slide }, state: qa.board.approveFirst ? 'pending' : 'visible' };
    const committed = talk.commit({ kind: QA_EVENTS.asked, data, participant, key: msg.key });
    refundUnlessStored(committed, () => {
      qa.ask.giveBack(participant);
      networkBudgetOf(talk).giveBack(peer, 'ask');
    });
    ackWhenCommitted(peer, 'ask', msg.key, committed);
  },

  upvote(peer, msg, ctx) {
    const host = hostOf(peer, ctx, 'upvote');
    if (!host) return;
    const participant = audienceMember(peer, 'upvote', msg.key, 'vote');
    if (!participant) return;
    const qa = qaOf(host.talk);
    const seen = qa.board.seenKey(participant, msg.key);
    if (seen !== undefined) return ack(peer, msg.key, seen);
    const question = qa.board.get(msg.question);
    if (!question || !isPublic(question.state)) return refuse(peer, 'not_found', 'upvote', undefined, msg.key);
    if (question.asker === participant && msg.on) return refuse(peer, 'own_question', 'upvote', undefined, msg.key);
    const wait = qa.upvote.take(participant);
    if (wait > 0) return refuse(peer, 'rate_limited', 'upvote', `Too many votes at once. ${waitText(wait)}`, msg.key);
    const networkWait = networkBudgetOf(host.talk).take(peer, 'upvote');
    if (networkWait > 0) {
      qa.upvote.giveBack(participant);
      return refuse(peer, 'rate_limited', 'upvote', `${networkRefusal('upvote')} ${waitText(networkWait)}`, msg.key);
    }

    const data: VotedData = { question: question.id, on: msg.on };
    // Set semantics across nodes: one person's two phones voting at once count once.
    const gate = { unique: { map: `up:${question.id}`, field: participant, value: msg.on ? '1' : '0' } };
    const committed = host.talk.commit({ kind: QA_EVENTS.voted, data, participant, key: msg.key }, gate);
    refundUnlessStored(committed, () => {
      qa.upvote.giveBack(participant);
      networkBudgetOf(host.talk).giveBack(peer, 'upvote');
    });
    ackWhenCommitted(peer, 'upvote', msg.key, committed);
  },

  moderate(peer, msg, ctx) {
    const host = hostOf(peer, ctx, 'moderate');
    if (!host) return;
    if (!isStaffRole(peer.role)) return refuse(peer, 'forbidden', 'moderate', 'Only the presenter and moderators moderate.');
    const { board } = qaOf(host.talk);
    if (!board.get(msg.question)) return refuse(peer, 'not_found', 'moderate');
    const data: ModeratedData = { question: msg.question, action: msg.action };
    if (!board.wouldChange(data)) return;
    host.talk.commit({ kind: QA_EVENTS.moderated, data, participant: null, key: null }).catch(commitFailed(peer, 'moderate'));
  },

  qa_mode(peer, msg, ctx) {
    const host = hostOf(peer, ctx, 'qa_mode');
    if (!host) return;
    if (!isStaffRole(peer.role)) return refuse(peer, 'forbidden', 'qa_mode', 'Only the presenter and moderators change the Q&A mode.');
    const { board } = qaOf(host.talk);
    if (board.approveFirst === msg.approveFirst) return;
    const data: ModeData = { approveFirst: msg.approveFirst };
    host.talk.commit({ kind: QA_EVENTS.mode, data, participant: null, key: null }).catch(commitFailed(peer, 'qa_mode'));
  },
};

/**
 * Applies a recorded event and tells everyone what they may see of the change. A change of
 * mode or highlight also goes out as `qa_state`, with the same seq (clients accept equal seqs
 * for the parts of one event).
 */
export function publish(host: TalkHost, board: QaBoard, seq: number, apply: () => QaChange): void {
  const before = { approveFirst: board.approveFirst, highlight: board.highlight };
  const change = apply();
  const { room } = host;
  const votes = publicVotesOf(host, board);
  if (change.kind === 'question') {
    const { question, wasPublic, voter } = change;
    const personal = new Map<string, ServerMessage>();
    for (const who of new Set([question.asker, voter])) {
      if (who) personal.set(who, { type: 'question', seq, question: board.view(question, who) });
    }
    const staff: ServerMessage = { type: 'question', seq, question: board.view(question, null, true) };
    const everyone: ServerMessage = { type: 'question', seq, question: board.view(question) };
    // A vote that only moves a public count: the room hears it with the next flush (large rooms).
    if (voter !== undefined && wasPublic && isPublic(question.state) && votes.coalescing) {
      votes.mark(question.id);
      fanOut(room, { staff, public: null, personal });
    } else {
      votes.settled(question.id);
      const publicView: ServerMessage | null = isPublic(question.state)
        ? everyone
        : wasPublic
          ? { type: 'question_removed', seq, id: question.id }
          : null;
      // Whoever voted keeps the mark on their copy: `question` replaces the whole question.
      const voted = publicView === everyone && question.voters.size > 0 ? { message: { type: 'question', seq, question: board.votedView(question) } satisfies ServerMessage, voters: question.voters } : undefined;
      fanOut(room, voted ? { staff, public: publicView, personal, voted } : { staff, public: publicView, personal });
    }
  } else if (change.kind === 'removed') {
    votes.settled(change.question.id);
    const removed: ServerMessage = { type: 'question_removed', seq, id: change.question.id };
    fanOut(room, {
      staff: removed,
      public: change.wasPublic ? removed : null,
      personal: new Map([[change.question.asker, removed]]),
    });
  }
  if (before.approveFirst !== board.approveFirst || before.highlight !== board.highlight) {
    const state: ServerMessage = { type: 'qa_state', seq, approveFirst: board.approveFirst, highlight: board.highlight };
    fanOut(room, { staff: state, public: state });
  }
}
