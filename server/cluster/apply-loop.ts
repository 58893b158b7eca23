/**
 * Applies a talk's events strictly in seq order, exactly once, whatever order they arrive in
 * (pub/sub, the writer's own reply, XRANGE catch-up). Knows nothing of Redis: the owner offers
 * events, drains, and fetches the missing range when `drain` reports a gap.
 */
import type { LoggedEvent } from './wire.ts';

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class ApplyLoop {
  private appliedSeq = 0;
  private readonly pending = new Map<number, LoggedEvent>();
  private waiters: Waiter[] = [];

  /** `sink` stores and applies one event; if it throws, the event counts as not applied. */
  constructor(private readonly sink: (logged: LoggedEvent) => void) {}

  get applied(): number {
    return this.appliedSeq;
  }

  /** Highest seq this loop holds but cannot apply yet (0 when none). */
  get bufferedHead(): number {
    let head = 0;
    for (const seq of this.pending.keys()) if (seq > head) head = seq;
    return head;
  }

  /** Keeps an event for `drain`; one at or below `applied` is a duplicate and dropped. */
  offer(logged: LoggedEvent): void {
    if (logged.event.seq > this.appliedSeq) this.pending.set(logged.event.seq, logged);
  }

  /** Applies every event that follows on; true when events remain beyond a gap. */
  drain(): boolean {
    let next = this.pending.get(this.appliedSeq + 1);
    while (next) {
      this.sink(next);
      this.pending.delete(next.event.seq);
      this.appliedSeq = next.event.seq;
      next = this.pending.get(this.appliedSeq + 1);
    }
    if (this.waiters.length) this.release();
    return this.pending.size > 0;
  }

  /** Sets the position without applying (a mirror replayed, a numbering adopted); drops what is buffered at or below it. */
  moveTo(seq: number, clearPending = false): void {
    this.appliedSeq = seq;
    if (clearPending) this.pending.clear();
    for (const s of [...this.pending.keys()]) if (s <= seq) this.pending.delete(s);
    this.release();
  }

  /** Resolves once `seq` is applied; rejects with `timeout()` if that takes longer than `ms`. */
  waitFor(seq: number, ms: number, timeout: () => Error): Promise<void> {
    if (seq <= this.appliedSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        seq,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(timeout());
        }, ms),
      };
      this.waiters.push(waiter);
    });
  }

  /** Rejects waiters for seqs above `seq` (their numbering was lost), or all of them. */
  rejectWaiters(err: Error, aboveSeq = -1): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq > aboveSeq) {
        clearTimeout(w.timer);
        w.reject(err);
      } else keep.push(w);
    }
    this.waiters = keep;
  }

  private release(): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq <= this.appliedSeq) {
        clearTimeout(w.timer);
        w.resolve();
      } else keep.push(w);
    }
    this.waiters = keep;
  }
}
