/**
 * Live polls: ballots (one per participant, replaceable while open), open/close/create by the
 * presenter, results counted here and broadcast coalesced and absolute. Handlers check what they
 * can on this node and commit an event; `apply` changes the board in seq order (whichever node
 * committed it) and, live, tells this node's connections. A restart replays to the same state.
 */
import type { Role } from '../../../protocol/messages.ts';
import type { PollDefinition, PollView, ResultsMessage } from '../../../protocol/polls.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import type { CommitGate } from '../../talk/log.ts';
import { LogRefused, LogUnavailable } from '../../talk/log.ts';
import type { StoredEvent } from '../../store/types.ts';
import type { Talk } from '../../talk/talk.ts';
import { Coalescer } from '../coalesce.ts';
import { registerExportSection } from '../export/index.ts';
import { isStaff, participantOf } from '../peers.ts';
import { PerSeq } from '../per-seq.ts';
import { ack, refuse } from '../reply.ts';
import { ackWhenCommitted, commitFailed, refundUnlessStored } from '../committed.ts';
import { PollBoard, POLL_EVENTS, type ClosedData, type PollEntry } from './board.ts';
import { pollsExportSection } from './export.ts';
import { checkBallot, normalizeText } from './tally.ts';
import { isQuiz, LiveQuiz, QUIZ_EVENTS, tidyName } from './quiz/live.ts';
import { quizExportSection } from './quiz/export.ts';
import { POLL_LIMITS } from '../../../protocol/polls.ts';

import { networkBudgetOf, networkRefusal } from '../network-budget.ts';
import { waitText } from '../qa/index.ts';

export { PollBoard } from './board.ts';

/** At most five results broadcasts per second per poll, however many ballots arrive. */
export const RESULTS_INTERVAL_MS = 200;

/** Participant of the writes the server makes on its own; every node makes them, the log keeps the first. */
export const SERVER_PARTICIPANT = '@server';

/** The commit script's map of poll statuses (cluster mode): a ballot needs its poll open there. */
const STATUS_MAP = 'polls';

const STAFF_ROLES: readonly Role[] = ['presenter', 'moderator'];
const PUBLIC_ROLES: readonly Role[] = ['screen', 'audience'];

/** One talk's polls plus the sockets to tell about them. */
class LivePolls {
  readonly board: PollBoard;
  readonly quiz: LiveQuiz;
  private readonly flushers = new Map<string, Coalescer>();
  /** JSON that joiners and resumes share between two changes: the public views, each poll's results. */
  readonly publicViews = new PerSeq<'public'>();
  readonly results = new PerSeq<string>();
  /** Server-made writes waiting to be tried again while the log is unreachable. */
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: TalkHost,
    deckPolls: readonly PollDefinition[],
  ) {
    this.board = new PollBoard(deckPolls);
    this.quiz = new LiveQuiz(host, this.board, (entry) => this.closeOnTime(entry));
  }

  /** Applies one stored event; live, this node's connections hear what changed. */
  apply(event: StoredEvent, live: boolean): void {
    if (event.kind === QUIZ_EVENTS.name) return this.quiz.applyName(event, live);
    const change = this.board.apply(event);
    if (!change || !live) return;
    const { entry } = change;
    switch (change.kind) {
      case 'created':
        return this.announce(entry);
      case 'opened':
        this.announce(entry);
        return this.quiz.opened(entry);
      case 'closed':
        // The close carries the final tally to everyone; a results flush still pending is dropped.
        this.announce(entry);
        return this.quiz.closed(entry);
      case 'ballot':
        return this.changed(entry);
    }
  }

  /** Tells everyone a poll's new status, each role the results it may see. */
  announce(entry: PollEntry): void {
    this.flushers.get(entry.poll.id)?.cancel();
    this.host.room.broadcast({ type: 'poll', seq: entry.seq, view: this.board.view(entry, true) }, STAFF_ROLES);
    this.host.room.broadcast({ type: 'poll', seq: entry.seq, view: this.board.view(entry, false) }, PUBLIC_ROLES);
  }

  /** Notes new ballots; results follow within RESULTS_INTERVAL_MS. */
  changed(entry: PollEntry): void {
    const id = entry.poll.id;
    let flusher = this.flushers.get(id);
    if (!flusher) {
      flusher = new Coalescer(RESULTS_INTERVAL_MS, () => this.sendResults(id));
      this.flushers.set(id, flusher);
    }
    flusher.mark();
  }

  private sendResults(id: string): void {
    const entry = this.board.get(id);
    if (!entry) return;
    this.host.room.broadcast(resultsMessage(this.board, entry), PollBoard.resultsPublic(entry) ? [...STAFF_ROLES, ...PUBLIC_ROLES] : STAFF_ROLES);
  }

  /** Commits an opening; `auto` names a write every node makes (a poll opening itself on its slide). */
  open(entry: PollEntry, auto?: string): Promise<unknown> {
    const id = entry.poll.id;
    const who = auto === undefined ? { participant: null, key: null } : { participant: SERVER_PARTICIPANT, key: auto };
    return this.host.talk.commit({ kind: POLL_EVENTS.opened, data: { poll: id }, ...who }, statusGate(id, 'open'));
  }

  close(entry: PollEntry): Promise<unknown> {
    const data: ClosedData = { poll: entry.poll.id };
    return this.host.talk.commit({ kind: POLL_EVENTS.closed, data, participant: null, key: null }, statusGate(entry.poll.id, 'closed'));
  }

  /**
   * A quiz question's time ran out. Every node's countdown fires, so the close is keyed by the
   * opening it ends: the log stores the first, the rest are duplicates. A late countdown after
   * the presenter closed (or reopened) the question changes nothing.
   */
  private closeOnTime(entry: PollEntry): void {
    const id = entry.poll.id;
    const opened = entry.openedSeq;
    const data: ClosedData = { poll: id, opened };
    const gate: CommitGate = { requires: { map: STATUS_MAP, field: id, equals: 'open', code: 'poll_closed' }, ...statusGate(id, 'closed') };
    this.serverWrite(
      'close a quiz question',
      () => this.host.talk.commit({ kind: POLL_EVENTS.closed, data, participant: SERVER_PARTICIPANT, key: `close:${id}:${opened}` }, gate),
      () => entry.status === 'open' && entry.openedSeq === opened,
    );
  }

  /** Opens the polls written on the slide just shown that open themselves (first showing only). */
  slideShown(): void {
    const { indexh, indexv } = this.host.talk.deck;
    for (const entry of this.board.autoOpening(indexh, indexv)) {
      this.serverWrite('open a poll on its slide', () => this.open(entry, `auto-open:${entry.poll.id}`), () => !entry.everOpened);
    }
  }

  /**
   * A write the server makes by itself. Refused means another node's write already settled it;
   * while the log is unreachable it is tried again (no phone keeps it in an outbox), as long as
   * it is still wanted.
   */
  private serverWrite(what: string, write: () => Promise<unknown>, wanted: () => boolean): void {
    write().catch((err: unknown) => {
      if (err instanceof LogRefused) return;
      if (err instanceof LogUnavailable) {
        const timer = setTimeout(() => {
          this.retries.delete(timer);
          if (wanted()) this.serverWrite(what, write, wanted);
        }, err.retryAfterMs);
        timer.unref();
        this.retries.add(timer);
        return;
      }
      process.emitWarning(`livedeck: could not ${what}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  stop(): void {
    this.quiz.stop();
    for (const flusher of this.flushers.values()) flusher.cancel();
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }
}

function statusGate(poll: string, status: 'open' | 'closed'): CommitGate {
  return { sets: { map: STATUS_MAP, field: poll, value: status } };
}

/** Keyed by the talk: the export and the report see only the talk, and read its polls from here. */
const live = new WeakMap<Talk, LivePolls>();

registerExportSection(pollsExportSection((talk) => live.get(talk)?.board));
registerExportSection(quizExportSection((talk) => live.get(talk)?.quiz));

/** The talk's polls, for sections that see only the talk (the report). */
export const pollBoardOf = (talk: Talk): PollBoard | undefined => live.get(talk)?.board;

/** Polls as a feature, plus the two parts of a joiner's messages the feedback feature interleaves with the pace gauge. */
export interface PollsFeature extends Feature {
  /** A resumed client's current results (they go out coalesced and are not in the resume history). */
  resultsJson(peer: Peer): string[];
  /** Quiz clocks, boards and this phone's own score. */
  quizJson(peer: Peer): string[];
}

/**
 * The talk's polls (those written in the deck, and those made live). The report CLI builds it
 * too and only replays: no clock starts until `started` (the running server).
 */
export function pollsFeature(host: TalkHost, deckPolls: readonly PollDefinition[]): PollsFeature {
  const polls = new LivePolls(host, deckPolls);
  live.set(host.talk, polls);
  const { board } = polls;

  const ballot: Handler<'ballot'> = (peer, msg) => {
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'ballot', 'Only the audience votes.', msg.key);
    const entry = board.get(msg.poll);
    if (!entry) return refuse(peer, 'unknown_poll', 'ballot', undefined, msg.key);
    const participant = participantOf(peer);
    // A resend after a lost ack of the ballot this participant has stored in the poll: it was
    // counted, so it gets the usual duplicate answer, even once the question closed or its time
    // ran out (a quiz phone resends on reconnect, often after the deadline).
    const prior = entry.ballots.get(participant);
    if (prior?.key !== undefined && prior.key === msg.key) return ack(peer, msg.key, prior.seq);
    if (entry.status !== 'open') return refuse(peer, 'poll_closed', 'ballot', undefined, msg.key);
    const checked = checkBallot(entry.poll, msg.value);
    if (!checked.ok) return refuse(peer, 'bad_message', 'ballot', checked.reason, msg.key);
    // A quiz answer is final and timed by the server's clock, never the phone's; the time taken
    // goes into the event, so every node scores it the same.
    const now = Date.now();
    const quiz = isQuiz(entry);
    if (quiz && prior) return refuse(peer, 'quiz_answered', 'ballot', undefined, msg.key);
    if (quiz && now > LiveQuiz.deadline(entry)) return refuse(peer, 'quiz_time_up', 'ballot', undefined, msg.key);
    // Only a participant's first ballot in a poll adds a voter: a changed vote replaces, and a
    // resend after a lost ack finds its ballot stored; neither spends the address's budget.
    const counted = !entry.ballots.has(participant);
    if (counted) {
      const wait = networkBudgetOf(host.talk).take(peer, 'ballot');
      if (wait > 0) return refuse(peer, 'rate_limited', 'ballot', `${networkRefusal('ballot')} ${waitText(wait)}`, msg.key);
    }
    const id = entry.poll.id;
    const data = quiz ? { poll: id, value: checked.value, ms: now - entry.openedAt } : { poll: id, value: checked.value };
    // Across nodes: a ballot behind a close on another node is refused, and the same choice sent
    // again from a participant's second phone changes nothing.
    const gate: CommitGate = {
      requires: { map: STATUS_MAP, field: id, equals: 'open', code: 'poll_closed' },
      unique: { map: `ballot:${id}`, field: participant, value: JSON.stringify(checked.value) },
    };
    const committed = host.talk.commit({ kind: POLL_EVENTS.ballot, data, participant, key: msg.key }, gate);
    if (counted) refundUnlessStored(committed, () => networkBudgetOf(host.talk).giveBack(peer, 'ballot'));
    ackWhenCommitted(peer, 'ballot', msg.key, committed);
  };

  const openPoll: Handler<'openPoll'> = (peer, msg) => {
    if (!staffOnly(peer, 'openPoll')) return;
    const entry = board.get(msg.poll);
    if (!entry) return refuse(peer, 'unknown_poll', 'openPoll');
    if (entry.status === 'open') return;
    polls.open(entry).catch(commitFailed(peer, 'openPoll'));
  };

  const closePoll: Handler<'closePoll'> = (peer, msg) => {
    if (!staffOnly(peer, 'closePoll')) return;
    const entry = board.get(msg.poll);
    if (!entry) return refuse(peer, 'unknown_poll', 'closePoll');
    if (entry.status !== 'open') return;
    polls.close(entry).catch(commitFailed(peer, 'closePoll'));
  };

  const createPoll: Handler<'createPoll'> = (peer, msg) => {
    if (!staffOnly(peer, 'createPoll')) return;
    if (board.size >= POLL_LIMITS.polls) return refuse(peer, 'bad_message', 'createPoll', 'Too many polls in this talk.', msg.key);
    const spec = msg.poll;
    if (spec.type === 'quiz') return refuse(peer, 'bad_message', 'createPoll', 'Quiz questions are written in the deck, with their correct answers.', msg.key);
    const needsOptions = spec.type === 'single' || spec.type === 'multiple' || spec.type === 'ranking';
    if (needsOptions && spec.options.length < 2) return refuse(peer, 'bad_message', 'createPoll', 'Give at least two options.', msg.key);
    const question = normalizeText(spec.question);
    const options = needsOptions ? spec.options.map(normalizeText) : [];
    if (question === '' || options.some((o) => o === '')) return refuse(peer, 'bad_message', 'createPoll', 'The question and every option need some text.', msg.key);
    const poll: PollDefinition = {
      id: board.nextLiveId(),
      type: spec.type,
      question,
      options: needsOptions ? options : spec.type === 'rating' ? ['1', '2', '3', '4', '5'] : [],
      results: spec.results,
      open: 'manual',
      slide: null,
    };
    const committed = host.talk.commit({ kind: POLL_EVENTS.created, data: { poll }, participant: null, key: msg.key });
    ackWhenCommitted(peer, 'createPoll', msg.key, committed);
    if (!msg.openNow) return;
    committed.then(
      ({ seq, duplicate }) => {
        // The id may have moved on if another node's staff made a poll at the same moment: find it by its seq.
        const entry = duplicate ? undefined : board.all().find((e) => e.createdSeq === seq);
        if (entry && entry.status !== 'open') polls.open(entry).catch(commitFailed(peer, 'createPoll'));
      },
      () => undefined, // ackWhenCommitted already told the console.
    );
  };

  const quizName: Handler<'quizName'> = (peer, msg) => {
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'quizName', 'Only the audience plays.', msg.key);
    const name = tidyName(msg.name);
    if (name === null) return refuse(peer, 'bad_message', 'quizName', 'Pick a nickname.', msg.key);
    ackWhenCommitted(peer, 'quizName', msg.key, host.talk.commit({ kind: QUIZ_EVENTS.name, data: { name }, participant: participantOf(peer), key: msg.key }));
  };

  return {
    name: 'polls',
    kinds: [...Object.values(POLL_EVENTS), ...Object.values(QUIZ_EVENTS)],
    watches: ['deck'],
    apply(event, isLive) {
      if (event.kind === 'deck') {
        if (isLive) polls.slideShown();
      } else polls.apply(event, isLive);
    },
    handlers: { ballot, openPoll, closePoll, createPoll, quizName },
    welcomePollsJson: (peer) => pollViewsJson(host, polls, peer),
    joined: (peer, join) => (join.resumed ? [...currentResultsJson(host, polls, peer), ...quizJoinedJson(polls, peer)] : quizJoinedJson(polls, peer)),
    resultsJson: (peer) => currentResultsJson(host, polls, peer),
    quizJson: (peer) => quizJoinedJson(polls, peer),
    // A quiz question still open gets the rest of its time, or closes now if it ran out.
    started: () => polls.quiz.resume(),
    stop: () => polls.stop(),
  };
}

function staffOnly(peer: Peer, ref: string): boolean {
  if (isStaff(peer)) return true;
  refuse(peer, 'forbidden', ref, 'Only the presenter runs polls.');
  return false;
}

function quizJoinedJson(polls: LivePolls, peer: Peer): string[] {
  return polls.quiz.joined(peer.role === 'audience' ? participantOf(peer) : undefined);
}

/** Every poll as this peer may see it, with its own ballots: for the welcome. */
function pollViewsFor(polls: LivePolls, peer: Peer): PollView[] {
  const staff = isStaff(peer);
  const participant = peer.role === 'audience' ? participantOf(peer) : undefined;
  return polls.board.all().map((e) => polls.board.view(e, staff, participant));
}

/**
 * pollViewsFor as JSON. A join storm welcomes thousands of phones that have no ballot of their
 * own, and they all get the same public views; every change to a poll is a stored event that
 * moves the talk's seq on, so those views are serialised once per seq.
 */
function pollViewsJson(host: TalkHost, polls: LivePolls, peer: Peer): string {
  if (isStaff(peer)) return JSON.stringify(pollViewsFor(polls, peer));
  if (peer.role === 'audience') {
    const participant = participantOf(peer);
    if (polls.board.all().some((e) => e.ballots.has(participant))) return JSON.stringify(pollViewsFor(polls, peer));
  }
  return polls.publicViews.get(host.talk.seq, 'public', publicViewsText, polls.board, undefined);
}

function publicViewsText(board: PollBoard): string {
  return JSON.stringify(board.all().map((e) => board.view(e, false)));
}

/**
 * What a resumed client needs beyond the missed stored changes: the current results, which go
 * out coalesced and are not in the resume history. Every ballot is a stored event that moves
 * the talk's seq on, so each poll's message is serialised once per seq for a whole reconnect storm.
 */
function currentResultsJson(host: TalkHost, polls: LivePolls, peer: Peer): string[] {
  const staff = isStaff(peer);
  const out: string[] = [];
  for (const entry of polls.board.all()) {
    if (!staff && !PollBoard.resultsPublic(entry)) continue;
    out.push(polls.results.get(host.talk.seq, entry.poll.id, resultsText, polls.board, entry));
  }
  return out;
}

function resultsMessage(board: PollBoard, entry: PollEntry): ResultsMessage {
  return { type: 'results', poll: entry.poll.id, asOf: entry.seq, results: board.results(entry) };
}

function resultsText(board: PollBoard, entry: PollEntry): string {
  return JSON.stringify(resultsMessage(board, entry));
}
