/**
 * Turns a stream of changes into at most one flush per interval: the first change after a quiet
 * spell is flushed on the next tick (so one vote shows at once), later ones ride the next flush.
 * A burst of thousands of changes costs a handful of broadcasts.
 */
export class Coalescer {
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = -Infinity;

  /** `intervalMs` may be a function, read at each change: a flush may cost more as a room grows. */
  constructor(
    private readonly intervalMs: number | (() => number),
    private readonly flush: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes a change; the flush follows within `intervalMs`. */
  mark(): void {
    if (this.timer) return;
    const interval = typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs();
    const wait = Math.max(0, this.lastFlush + interval - this.now());
    this.timer = setTimeout(() => this.flushNow(), wait);
    this.timer.unref();
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  /** Flushes at once (e.g. when a poll closes, so its final tally is not late). */
  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = this.now();
    this.flush();
  }

  /** Drops a pending flush without running it. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
