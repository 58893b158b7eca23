/**
 * A sliding-window limit per participant ("3 questions a minute"), which can say how long to
 * wait, so the person sees "try again in 40 s" rather than a bare refusal.
 */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: WindowLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when `who` may act now (and counts the act); otherwise the milliseconds until they may. */
  take(who: string): number {
    const now = this.now();
    const recent = (this.hits.get(who) ?? []).filter((t) => now - t < this.limit.windowMs);
    if (recent.length >= this.limit.count) {
      this.hits.set(who, recent);
      return recent[0]! + this.limit.windowMs - now;
    }
    recent.push(now);
    this.hits.set(who, recent);
    // Idle participants carry no information; sweeping keeps the map the size of the active crowd.
    if (this.hits.size > 10_000) this.sweep(now);
    return 0;
  }

  /** Forgets `who`'s latest act: it was refused after all (by a limit checked after this one). */
  giveBack(who: string): void {
    this.hits.get(who)?.pop();
  }

  private sweep(now: number): void {
    for (const [who, times] of this.hits) {
      if (times.every((t) => now - t >= this.limit.windowMs)) this.hits.delete(who);
    }
  }
}

/** "a minute", "30 seconds": the window as people say it. */
export function describeWindow(ms: number): string {
  if (ms === 60_000) return 'a minute';
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}
