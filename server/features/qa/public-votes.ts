/**
 * Vote counts for the room, coalesced once the room is large. At a keynote a popular question
 * can take hundreds of upvotes a second, and each one changes its public count: sent one by
 * one to 10 000 phones that is millions of writes a second, and slide changes would queue
 * behind them. So in a room of QA_COALESCE_MIN_AUDIENCE phones or more, a vote that only
 * changes a count reaches the voter, the asker and staff at once, and everyone else within
 * votesIntervalMs, in one write per phone however many questions moved.
 */
import type { Role, ServerMessage } from '../../../protocol/messages.ts';
import { isPublic } from '../../../protocol/qa.ts';
import { textFrames } from '../../relay/frame.ts';
import type { TalkHost } from '../../relay/host.ts';
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

const PUBLIC_ROLES: readonly Role[] = ['audience', 'screen'];

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
    const jsons = moved.map((q) => JSON.stringify({ type: 'question', seq, question: this.board.view(q) } satisfies ServerMessage));
    room.inOrder(() => room.writeToRoles(PUBLIC_ROLES, textFrames(jsons)));
    // Askers keep their own view (it says the question is theirs): it follows the public one,
    // same seq. One person may have asked several of the moved questions, so each goes alone.
    for (const q of moved) {
      const own: ServerMessage = { type: 'question', seq, question: this.board.view(q, q.asker) };
      fanOut(room, { staff: null, public: null, personal: new Map([[q.asker, own]]), publicRoles: ['audience'] });
    }
  }
}
