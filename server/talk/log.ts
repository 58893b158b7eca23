/**
 * The talk's log as the relay and the features see it: commit a write, then apply it in order.
 *
 * Two implementations share this seam:
 * - single node (`LocalLog`, server/talk/local-log.ts): the SQLite (or memory) store appends and
 *   the event is applied in the same call, so the single-node path keeps today's timing;
 * - cluster (`ClusterLog`, server/cluster/): Redis commits the event with one atomic script
 *   (idempotency key, set semantics, next seq, append, publish) and every node applies the
 *   talk's events strictly in seq order from the stream, whichever node wrote them.
 *
 * Either way `commit` resolves only after the event is applied on this node, so the writer's
 * ack never overtakes the change it acknowledges.
 */
import type { ErrorCode } from '../../protocol/messages.ts';
import type { NewEvent, StoredEvent } from '../store/types.ts';

export interface Committed {
  /** The event's seq; for a duplicate (same participant and key) or a no-op, the first one's seq or the log's seq at the time. */
  seq: number;
  /** True when nothing new was appended: a resend after a lost ack, or a repeat that changes nothing. */
  duplicate: boolean;
}

/** The log cannot take writes right now (Redis unreachable, a restore running): the client keeps the write and sends it again. */
export class LogUnavailable extends Error {
  constructor(readonly retryAfterMs: number, message = 'The talk cannot store changes right now.') {
    super(message);
  }
}

/** Every node would refuse this write (decided inside the atomic commit, e.g. a ballot for a poll another node just closed). */
export class LogRefused extends Error {
  constructor(readonly code: ErrorCode, message = `refused: ${code}`) {
    super(message);
  }
}

/**
 * Hints for the atomic commit in cluster mode, so races between nodes are settled in one place.
 * The single-node log ignores them: its handlers check the same rules against state that cannot
 * change between the check and the append. Names are short ASCII tokens, not user text.
 */
export interface CommitGate {
  /** Refuse with `code` unless map[field] === equals (a ballot needs its poll open). */
  requires?: { map: string; field: string; equals: string; code: ErrorCode };
  /** Set semantics: if map[field] already === value nothing is appended (Committed.duplicate); else map[field] = value with the append. */
  unique?: { map: string; field: string; value: string };
  /** map[field] = value along with the append (a poll opening or closing). */
  sets?: { map: string; field: string; value: string };
}

/** Receives every event of the talk exactly once, strictly in seq order. `live` is false while the log is replayed at start. */
export type Applier = (event: StoredEvent, live: boolean) => void;

export interface TalkLog {
  /**
   * Names this log's numbering. Phones send it back with lastSeq; if it differs the seqs they
   * hold may mean other events, so they get a full welcome instead of a replay.
   */
  readonly epoch: string;
  /** Highest seq applied on this node. */
  readonly applied: number;
  /** Replays what is stored through `apply` (live = false), then keeps calling it for every new event (live = true). */
  start(apply: Applier): Promise<void>;
  /** Commits one write. Rejects with LogUnavailable (retryable) or LogRefused. */
  commit(event: NewEvent, gate?: CommitGate): Promise<Committed>;
  /** Stored events with seq > after (this node's copy), oldest first. */
  events(after: number, limit?: number): StoredEvent[];
  /** Whether a client that last saw (epoch, seq) can be resumed by replay; false means it needs a full welcome. */
  vouchesFor(epoch: string | undefined, seq: number): boolean;
  close(): Promise<void>;
}

/**
 * What is not stored but must still reach every node's connections: reactions, the laser
 * pointer, topic values, presence. Single node: delivered at once in this process. Cluster: one
 * Redis channel per talk; a node gets its own signals at once and ignores their echo.
 */
export interface Signals {
  publish(channel: string, data: unknown): void;
  subscribe(channel: string, listener: (data: unknown) => void): void;
}
