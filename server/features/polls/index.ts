/**
 * Live polls: ballots (one per participant, replaceable while open), open/close/create by the
 * presenter, results counted here and broadcast coalesced and absolute. Every change is recorded
 * in the talk's log before memory changes, so a restart replays to the same state.
 */
import type { Role } from '../../../protocol/messages.ts';
import type { PollDefinition, PollView, ResultsMessage } from '../../../protocol/polls.ts';
import type { HandlerContext } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { sendMessage } from '../../room/room.ts';
import type { Replayer, Talk } from '../../talk/talk.ts';
import { Coalescer } from '../coalesce.ts';
import { registerExportSection } from '../export/index.ts';
import { hostOf, isStaff, participantOf, type FeatureHandler } from '../peers.ts';
import { PerSeq } from '../per-seq.ts';
import { ack, refuse } from '../reply.ts';
import { PollBoard, POLL_EVENTS, type PollEntry } from './board.ts';
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

  constructor(
    private readonly host: TalkHost,
    deckPolls: readonly PollDefinition[],
  ) {
    this.board = new PollBoard(deckPolls);
    this.quiz = new LiveQuiz(host, this.board, (entry) => this.close(entry));
    // A countdown must not fire into a closed store after the server stopped.
    host.onDispose(() => this.quiz.stop());
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

  open(entry: PollEntry): void {
    const { event } = this.host.talk.record({ kind: POLL_EVENTS.opened, data: { poll: entry.poll.id }, participant: null, key: null });
    this.board.setStatus(entry.poll.id, 'open', event.seq, event.at);
    this.announce(entry);
    this.quiz.opened(entry);
  }

  close(entry: PollEntry): void {
    const { event } = this.host.talk.record({ kind: POLL_EVENTS.closed, data: { poll: entry.poll.id }, participant: null, key: null });
    this.board.setStatus(entry.poll.id, 'closed', event.seq);
    // The close carries the final tally to everyone; a results flush still pending is dropped.
    this.announce(entry);
    this.quiz.closed(entry);
  }
}

/** Keyed by the talk, so sections that see only the talk (the export) find its polls too. */
const live = new WeakMap<Talk, LivePolls>();

registerExportSection(pollsExportSection((talk) => live.get(talk)?.board));
registerExportSection(quizExportSection((talk) => live.get(talk)?.quiz));

/** The talk's polls, for sections that see only the talk (the report). */
export const pollBoardOf = (talk: Talk): PollBoard | undefined => live.get(talk)?.board;

/**
 * Gives a talk its polls (those written in the deck) and returns the replayers that rebuild
 * ballots and statuses from the log. Call before `talk.replay`. Read-only: the report CLI uses
 * it too, so it starts no clock and writes nothing (the server calls `resumeQuizzes`).
 */
export function attachPolls(host: TalkHost, deckPolls: readonly PollDefinition[]): Record<string, Replayer> {
  const polls = new LivePolls(host, deckPolls);
  live.set(host.talk, polls);
  return { ...polls.board.replayers(), ...polls.quiz.replayers() };
}

/**
 * For the running server only, right after `talk.replay`: a quiz question still open gets the
 * rest of its time, or closes now (a stored poll.closed) if it ran out.
 */
export function resumeQuizzes(host: TalkHost): void {
  live.get(host.talk)?.quiz.resume();
}

/** Quiz clocks, boards and this phone's own score, for a joiner (welcome or resume). */
export function quizJoinedJson(host: TalkHost, peer: Peer): string[] {
  const polls = live.get(host.talk);
  if (!polls) return [];
  return polls.quiz.joined(peer.role === 'audience' ? participantOf(peer) : undefined);
}

/** Every poll as this peer may see it, with its own ballots: for the welcome. */
export function pollViewsFor(host: TalkHost, peer: Peer): PollView[] {
  const polls = live.get(host.talk);
  if (!polls) return [];
  const staff = isStaff(peer);
  const participant = peer.role === 'audience' ? participantOf(peer) : undefined;
  return polls.board.all().map((e) => polls.board.view(e, staff, participant));
}

/**
 * pollViewsFor as JSON. A join storm welcomes thousands of phones that have no ballot of their
 * own, and they all get the same public views; every change to a poll is a stored event that
 * moves the talk's seq on, so those views are serialised once per seq.
 */
export function pollViewsJson(host: TalkHost, peer: Peer): string {
  const polls = live.get(host.talk);
  if (!polls || isStaff(peer)) return JSON.stringify(pollViewsFor(host, peer));
  if (peer.role === 'audience') {
    const participant = participantOf(peer);
    if (polls.board.all().some((e) => e.ballots.has(participant))) return JSON.stringify(pollViewsFor(host, peer));
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
export function currentResultsJson(host: TalkHost, peer: Peer): string[] {
  const polls = live.get(host.talk);
  if (!polls) return [];
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

/** Opens the polls written on the slide just shown that open themselves (first showing only). */
export function slideShown(host: TalkHost): void {
  const polls = live.get(host.talk);
  if (!polls) return;
  const { indexh, indexv } = host.talk.deck;
  for (const entry of polls.board.autoOpening(indexh, indexv)) polls.open(entry);
}

function staffPolls(peer: Peer, ctx: HandlerContext, ref: string): LivePolls | undefined {
  const host = hostOf(peer, ctx);
  const polls = host ? live.get(host.talk) : undefined;
  if (!polls) {
    refuse(peer, 'not_joined', ref);
    return undefined;
  }
  if (!isStaff(peer)) {
    refuse(peer, 'forbidden', ref, 'Only the presenter runs polls.');
    return undefined;
  }
  return polls;
}

export const pollHandlers: {
  ballot: FeatureHandler<'ballot'>;
  openPoll: FeatureHandler<'openPoll'>;
  closePoll: FeatureHandler<'closePoll'>;
  createPoll: FeatureHandler<'createPoll'>;
  quizName: FeatureHandler<'quizName'>;
} = {
  ballot(peer, msg, ctx) {
    const host = hostOf(peer, ctx);
    const polls = host ? live.get(host.talk) : undefined;
    if (!host || !polls) return refuse(peer, 'not_joined', 'ballot', undefined, msg.key);
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'ballot', 'Only the audience votes.', msg.key);
    const entry = polls.board.get(msg.poll);
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
    // A quiz answer is final and timed by the server's clock, never the phone's.
    const now = Date.now();
    const quiz = isQuiz(entry);
    if (quiz && prior) return refuse(peer, 'quiz_answered', 'ballot', undefined, msg.key);
    if (quiz && now > LiveQuiz.deadline(entry)) return refuse(peer, 'quiz_time_up', 'ballot', undefined, msg.key);
    // Only a participant's first ballot in a poll adds a voter: a changed vote replaces, and a
    // resend after a lost ack finds its ballot stored; neither spends the address's budget.
    if (!entry.ballots.has(participant)) {
      const wait = networkBudgetOf(host.talk).take(peer, 'ballot');
      if (wait > 0) return refuse(peer, 'rate_limited', 'ballot', `${networkRefusal('ballot')} ${waitText(wait)}`, msg.key);
    }
    const { event, duplicate } = host.talk.record({
      kind: POLL_EVENTS.ballot,
      data: quiz ? { poll: entry.poll.id, value: checked.value, ms: now - entry.openedAt } : { poll: entry.poll.id, value: checked.value },
      participant,
      key: msg.key,
    });
    // A resend after a lost ack was counted the first time: acknowledge it again, count nothing.
    if (!duplicate) polls.board.cast(entry.poll.id, participant, checked.value, event.seq, quiz ? now - entry.openedAt : undefined, msg.key);
    sendMessage(peer, { type: 'ack', key: msg.key, seq: event.seq });
    if (!duplicate) polls.changed(entry);
  },

  openPoll(peer, msg, ctx) {
    const polls = staffPolls(peer, ctx, 'openPoll');
    if (!polls) return;
    const entry = polls.board.get(msg.poll);
    if (!entry) return refuse(peer, 'unknown_poll', 'openPoll');
    if (entry.status === 'open') return;
    polls.open(entry);
  },

  closePoll(peer, msg, ctx) {
    const polls = staffPolls(peer, ctx, 'closePoll');
    if (!polls) return;
    const entry = polls.board.get(msg.poll);
    if (!entry) return refuse(peer, 'unknown_poll', 'closePoll');
    if (entry.status !== 'open') return;
    polls.close(entry);
  },

  createPoll(peer, msg, ctx) {
    const polls = staffPolls(peer, ctx, 'createPoll');
    if (!polls) return;
    const host = hostOf(peer, ctx)!;
    if (polls.board.size >= POLL_LIMITS.polls) return refuse(peer, 'bad_message', 'createPoll', 'Too many polls in this talk.', msg.key);
    const spec = msg.poll;
    if (spec.type === 'quiz') return refuse(peer, 'bad_message', 'createPoll', 'Quiz questions are written in the deck, with their correct answers.', msg.key);
    const needsOptions = spec.type === 'single' || spec.type === 'multiple' || spec.type === 'ranking';
    if (needsOptions && spec.options.length < 2) return refuse(peer, 'bad_message', 'createPoll', 'Give at least two options.', msg.key);
    const question = normalizeText(spec.question);
    const options = needsOptions ? spec.options.map(normalizeText) : [];
    if (question === '' || options.some((o) => o === '')) return refuse(peer, 'bad_message', 'createPoll', 'The question and every option need some text.', msg.key);
    const poll: PollDefinition = {
      id: polls.board.nextLiveId(),
      type: spec.type,
      question,
      options: needsOptions ? options : spec.type === 'rating' ? ['1', '2', '3', '4', '5'] : [],
      results: spec.results,
      open: 'manual',
      slide: null,
    };
    const { event, duplicate } = host.talk.record({ kind: POLL_EVENTS.created, data: { poll }, participant: null, key: msg.key });
    sendMessage(peer, { type: 'ack', key: msg.key, seq: event.seq });
    if (duplicate) return;
    const entry = polls.board.add(poll, event.seq);
    polls.announce(entry);
    if (msg.openNow) polls.open(entry);
  },
  quizName(peer, msg, ctx) {
    const host = hostOf(peer, ctx);
    const polls = host ? live.get(host.talk) : undefined;
    if (!host || !polls) return refuse(peer, 'not_joined', 'quizName', undefined, msg.key);
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'quizName', 'Only the audience plays.', msg.key);
    const name = tidyName(msg.name);
    if (name === null) return refuse(peer, 'bad_message', 'quizName', 'Pick a nickname.', msg.key);
    const participant = participantOf(peer);
    const { event, duplicate } = host.talk.record({ kind: QUIZ_EVENTS.name, data: { name }, participant, key: msg.key });
    sendMessage(peer, { type: 'ack', key: msg.key, seq: event.seq });
    if (!duplicate && polls.quiz.names.get(participant) !== name) polls.quiz.rename(participant, name);
  },
};
