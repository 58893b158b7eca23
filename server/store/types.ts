/**
 * The storage seam. Handlers and talks see only this interface, so the embedded SQLite store,
 * the in-memory store used by unit tests, and a future Redis-backed store are interchangeable.
 *
 * Model: each talk has one append-only event log. Every change to a talk (a deck move, a question,
 * a vote, a moderation action…) is an event; the event's `seq` is the talk's sequence number,
 * so the same number orders the log, the broadcasts and the clients' view. State is rebuilt at
 * start by replaying the log.
 */

export interface NewEvent {
  /** Event kind, e.g. 'deck', 'question.asked'. Owned by the feature that writes it. */
  kind: string;
  /** JSON-serialisable payload. */
  data: unknown;
  /** Participant who caused it (audience id), null for the presenter or the server. */
  participant: string | null;
  /**
   * Client-made idempotency key. The same (participant, key) is stored once: a resend after a
   * lost ack returns the first event with `duplicate: true`.
   */
  key: string | null;
}

export interface StoredEvent extends NewEvent {
  seq: number;
  /** Epoch milliseconds when it was stored. */
  at: number;
}

/** What survives a restart about a talk itself. Secrets are stored only as SHA-256 hashes (hex). */
export interface TalkRecord {
  code: string;
  presenterKeyHash: string;
  moderatorKeyHash: string;
  /** Absolute path of the deck the talk was started with. */
  deckSource: string;
  createdAt: number;
}

export interface AppendResult {
  event: StoredEvent;
  duplicate: boolean;
}

export interface Store {
  /** The talk previously stored for this deck source, if any. */
  findTalkByDeck(deckSource: string): TalkRecord | null;
  saveTalk(record: TalkRecord): void;
  /** Appends and commits; when this returns the event is durable. Assigns seq = last + 1. */
  append(talk: string, event: NewEvent): AppendResult;
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  events(talk: string, afterSeq: number, limit?: number): StoredEvent[];
  lastSeq(talk: string): number;
  /**
   * Optional: like `events`, but `data` only for the given kinds (null for the others), so a scan
   * of a long log (the report) does not parse every ballot. Callers fall back to `events`.
   */
  eventsWithDataOf?(talk: string, kinds: readonly string[], afterSeq: number, limit?: number): StoredEvent[];
  /**
   * Stores an event that already has its seq (a cluster node's mirror of the Redis log), with the
   * commit gate it was written under (JSON, for a restore). Does not check idempotency keys: the
   * log that numbered the event did.
   */
  insert(talk: string, event: StoredEvent, gate?: string | null): void;
  /** The gates stored by `insert` for seqs in (afterSeq, throughSeq]. */
  gates(talk: string, afterSeq: number, throughSeq: number): Map<number, string>;
  /** Removes the talk's events (and their gates) with seq > afterSeq: a mirror rewritten under a new numbering. */
  truncate(talk: string, afterSeq: number): void;
  /** A small per-talk value (a cluster mirror's epoch and lineage), null when never set. */
  meta(talk: string, name: string): string | null;
  setMeta(talk: string, name: string, value: string): void;
  close(): void;
}
