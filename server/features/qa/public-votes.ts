/**
 * Vote counts for the room, coalesced once the room is large. At a keynote a popular question
 * can take hundreds of upvotes a second, and each one changes its public count: sent one by
 * one to 10 000 phones that is millions of writes a second, and slide changes would queue
 * behind them. So in a room of QA_COALESCE_MIN_AUDIENCE phones or more, a vote that only
 * changes a count reaches the voter, the asker and staff at once, and everyone else within
 * votesIntervalMs, in one write per phone however many questions moved.
 */
import type { ServerMessage } from '../../../protocol/messages.ts';
import { isPublic } from '../../../protocol/qa.ts';
import { textFrames, writeFrame } from '../../room/frame.ts';
import type { TalkHost } from '../../talk/host.ts';
import { Coalescer } from '../coalesce.ts';
import { fanOut } from '../fanout.ts';
import type { QaBoard, StoredQuestion } from './board.ts';

/** Below this many phones every vote goes out at once, as it always did. */
export const QA_COALESCE_MIN_AUDIENCE = 500;

/**
 * At most this often, the counts that changed go out to the room: every 250 ms, or slower in
 * a room so large that one flush (a write per phone, ~10 µs each) would take more than a tenth
 * of the interval. 10 000 phones: once a second, so counts cost at most ~10 % of a core.
 */
export const QA_VOTES_INTERVAL_MS = 250;
export const QA_VOTES_MS_PER_PHONE = 0.1;

export function votesIntervalMs(audience: number): number {
  return Math.max(QA_VOTES_INTERVAL_MS, Math.round(audience * QA_VOTES_MS_PER_PHONE));
}

export class PublicVotes {
  /** Questions whose public count changed since the room last heard of them. */
  private readonly pending = new Set<string>();
  private readonly flusher: Coalescer;

  constructor(
    private readonly host: TalkHost,
    private readonly board: QaBoard,
  ) {
    this.flusher = new Coalescer(() => votesIntervalMs(host.room.count('audience')), () => this.flush());
  }

  /** Whether a count change should wait for the next flush: only in a large room. */
  get coalescing(): boolean {
    return this.host.room.count('audience') >= QA_COALESCE_MIN_AUDIENCE;
  }

  /** Notes that a public question's count changed; the room hears within the interval. */
  mark(id: string): void {
    this.pending.add(id);
    this.flusher.mark();
  }

  /** A message with this question's latest public view is going out now, so the flush skips it. */
  settled(id: string): void {
    this.pending.delete(id);
  }

  /**
   * One `question` message per changed question, stamped with the talk's current seq: the view
   * is the state after every event so far, and clients drop anything older than what they have.
   */
  private flush(): void {
    const { room, talk } = this.host;
    const seq = talk.seq;
    const moved = [...this.pending].map((id) => this.board.get(id)).filter((q): q is StoredQuestion => q !== undefined && isPublic(q.state));
    this.pending.clear();
    if (moved.length === 0) return;
    room.inOrder(() => this.writeCounts(moved, seq));
    // Askers keep their own view (it says the question is theirs): it follows the public one,
    // same seq. One person may have asked several of the moved questions, so each goes alone.
    for (const q of moved) {
      const own: ServerMessage = { type: 'question', seq, question: this.board.view(q, q.asker) };
      fanOut(room, { staff: null, public: null, personal: new Map([[q.asker, own]]), publicRoles: ['audience'] });
    }
  }

  /**
   * The moved questions to every phone and screen, one write each. A voter's copy says `voted`
   * (a `question` replaces the whole question), so each phone gets the batch for the subset of
   * moved questions it voted on: built once per subset, and most phones share the one where it
   * voted on none. The subset is a string of 0s and 1s, one per moved question.
   */
  private writeCounts(moved: readonly StoredQuestion[], seq: number): void {
    const batches = new Map<string, Buffer>();
    const batch = (subset: string): Buffer => {
      let frames = batches.get(subset);
      if (frames === undefined) {
        const questions = moved.map((q, i) => (subset[i] === '1' ? this.board.votedView(q) : this.board.view(q)));
        frames = textFrames(questions.map((question) => JSON.stringify({ type: 'question', seq, question } satisfies ServerMessage)));
        batches.set(subset, frames);
      }
      return frames;
    };
    const none = '0'.repeat(moved.length);
    const { room } = this.host;
    for (const peer of room.membersOf('screen')) writeFrame(peer.ws, batch(none));
    for (const peer of room.membersOf('audience')) {
      const participant = peer.participant;
      let subset = none;
      if (participant !== null) {
        let bits = '';
        for (const q of moved) bits += q.voters.has(participant) ? '1' : '0';
        subset = bits;
      }
      writeFrame(peer.ws, batch(subset));
    }
  }
}
