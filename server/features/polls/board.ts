import type { PollDefinition, PollResults, PollStatus, PollView, BallotValue } from '../../../protocol/polls.ts';
import type { StoredEvent } from '../../store/types.ts';
import { tally, type Ballot } from './tally.ts';

/** Event kinds this feature writes to the talk's log. */
export const POLL_EVENTS = {
  created: 'poll.created',
  opened: 'poll.opened',
  closed: 'poll.closed',
  ballot: 'poll.ballot',
} as const;

export interface PollEntry {
  poll: PollDefinition;
  status: PollStatus;
  /** Ballots by participant, in the order they were last cast (a replaced ballot moves to the end). */
  ballots: Map<string, Ballot>;
  /** Seq of the newest stored change to this poll. */
  seq: number;
  /** Opened at least once: an `on-slide` poll opens itself only the first time. */
  everOpened: boolean;
  /** Epoch ms of the latest opening (the stored event's time): a quiz question's clock starts there. */
  openedAt: number;
  /** Seq of the latest opening: names it, so a countdown's close can say which opening it ends. */
  openedSeq: number;
  /** Seq of the event that created a live poll (0 for the deck's): its creator finds it by that. */
  createdSeq: number;
}

/** What applying one event changed, for the fan-out; null when it no longer fits and changed nothing. */
export type PollChange = { kind: 'created' | 'opened' | 'closed' | 'ballot'; entry: PollEntry };

export interface ClosedData {
  poll: string;
  /** A close made by the server (a quiz countdown): the opening it ends, so a late one for an earlier opening changes nothing. */
  opened?: number;
}

/**
 * The polls of one talk, in memory: pure state, no sockets. Handlers commit each change to the
 * talk's log; `apply` changes this state in seq order (live, and when the log is replayed at start).
 */
export class PollBoard {
  private readonly entries = new Map<string, PollEntry>();
  /** The last tally of each poll and what it was counted from; callers treat results as read-only. */
  private readonly tallied = new WeakMap<PollEntry, { seq: number; poll: PollDefinition; ballots: number; results: PollResults }>();

  constructor(deckPolls: readonly PollDefinition[] = []) {
    for (const poll of deckPolls) this.add(poll, 0);
  }

  get(id: string): PollEntry | undefined {
    return this.entries.get(id);
  }

  all(): PollEntry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Polls written on a slide that open themselves when it is shown and never have. */
  autoOpening(h: number, v: number): PollEntry[] {
    return this.all().filter((e) => e.poll.open === 'on-slide' && !e.everOpened && e.poll.slide?.h === h && e.poll.slide.v === v);
  }

  /** The next free id for a live poll. */
  nextLiveId(): string {
    let n = 1;
    while (this.entries.has(`live-${n}`)) n++;
    return `live-${n}`;
  }

  add(poll: PollDefinition, seq: number): PollEntry {
    const entry: PollEntry = { poll, status: 'ready', ballots: new Map(), seq, everOpened: false, openedAt: 0, openedSeq: 0, createdSeq: seq };
    this.entries.set(poll.id, entry);
    return entry;
  }

  setStatus(id: string, status: 'open' | 'closed', seq: number, at = 0): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.status = status;
    entry.seq = seq;
    if (status === 'open') {
      entry.everOpened = true;
      entry.openedAt = at;
      entry.openedSeq = seq;
    }
  }

  cast(id: string, participant: string, value: BallotValue, seq: number, ms?: number, key?: string | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.ballots.delete(participant);
    const ballot: Ballot = ms === undefined ? { value, seq } : { value, seq, ms };
    if (key) ballot.key = key;
    entry.ballots.set(participant, ballot);
    entry.seq = Math.max(entry.seq, seq);
  }

  /**
   * The poll's results, counted again only after it changed. Every joiner's welcome carries them:
   * after a vote of 10 000, a reconnect storm of 10 000 phones would otherwise count 10 000
   * ballots for each phone. Every change to a poll moves its seq on (a ballot included).
   */
  results(entry: PollEntry): PollResults {
    const cached = this.tallied.get(entry);
    if (cached && cached.seq === entry.seq && cached.poll === entry.poll && cached.ballots === entry.ballots.size) return cached.results;
    const results = tally(entry.poll, entry.ballots.values());
    this.tallied.set(entry, { seq: entry.seq, poll: entry.poll, ballots: entry.ballots.size, results });
    return results;
  }

  /** Whether a non-staff client may see this poll's results now. */
  static resultsPublic(entry: PollEntry): boolean {
    return entry.poll.results === 'live' || entry.status === 'closed';
  }

  view(entry: PollEntry, staff: boolean, participant?: string): PollView {
    const view: PollView = {
      poll: shownPoll(entry, staff),
      status: entry.status,
      seq: entry.seq,
      results: staff || PollBoard.resultsPublic(entry) ? this.results(entry) : null,
    };
    const mine = participant === undefined ? undefined : entry.ballots.get(participant);
    if (mine) view.mine = mine.value;
    return view;
  }

  /**
   * Applies one stored event. Deterministic (the event's own time, never the clock), and an
   * event that no longer fits changes nothing: in a cluster another node's write may have raced
   * it (two presenters opening at once, a ballot behind a close). Events for polls the deck no
   * longer has are skipped.
   */
  apply(e: StoredEvent): PollChange | null {
    switch (e.kind) {
      case POLL_EVENTS.created: {
        const poll = (e.data as { poll: PollDefinition }).poll;
        // Two staff on two nodes may pick the same free id at once: the later one takes the next.
        const id = !this.entries.has(poll.id) ? poll.id : poll.id.startsWith('live-') ? this.nextLiveId() : null;
        if (id === null) return null;
        return { kind: 'created', entry: this.add(id === poll.id ? poll : { ...poll, id }, e.seq) };
      }
      case POLL_EVENTS.opened: {
        const entry = this.entries.get((e.data as { poll: string }).poll);
        if (!entry || entry.status === 'open') return null;
        this.setStatus(entry.poll.id, 'open', e.seq, e.at);
        return { kind: 'opened', entry };
      }
      case POLL_EVENTS.closed: {
        const data = e.data as ClosedData;
        const entry = this.entries.get(data.poll);
        if (!entry || entry.status !== 'open' || (data.opened !== undefined && data.opened !== entry.openedSeq)) return null;
        this.setStatus(entry.poll.id, 'closed', e.seq);
        return { kind: 'closed', entry };
      }
      case POLL_EVENTS.ballot: {
        const { poll, value, ms } = e.data as { poll: string; value: BallotValue; ms?: number };
        const entry = this.entries.get(poll);
        if (!entry || !e.participant || entry.status !== 'open') return null;
        // A quiz answer is final: a second one (raced on another node) is not counted.
        if (entry.poll.type === 'quiz' && entry.ballots.has(e.participant)) return null;
        this.cast(poll, e.participant, value, e.seq, ms, e.key);
        return { kind: 'ballot', entry };
      }
      default:
        return null;
    }
  }
}

/**
 * The definition as a client may see it: a deny-list never leaves the server, and a quiz
 * question's correct options reach the audience only once it is closed.
 */
function shownPoll(entry: PollEntry, staff: boolean): PollDefinition {
  const { poll } = entry;
  if (poll.deny === undefined && (poll.quiz?.correct === undefined || staff || entry.status === 'closed')) return poll;
  const { deny: _deny, ...shown } = poll;
  if (shown.quiz && !staff && entry.status !== 'closed') {
    const { correct: _correct, ...quiz } = shown.quiz;
    shown.quiz = quiz;
  }
  return shown;
}
