/**
 * Token buckets: each kind of client message has its own rate, so a flood of one kind
 * (pings, questions) never starves another (the presenter's moves). All numbers are per
 * connection; a venue's NAT puts hundreds of phones behind one address, so nothing here is per IP.
 */
export interface Rate {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many may arrive at once. */
  burst: number;
}

export type RateTable = Record<string, Rate>;

/**
 * Defaults. `frame` guards every frame before it is parsed; `invalid` counts frames that fail
 * to parse; `strikes` counts `rate_limited` answers: a connection is told 19 times, and the
 * 20th answer comes with close 1008, so a flooding client hears `rate_limited` 20 times in all
 * (docs/protocol.md, Limits). Kinds not listed use `default`.
 */
export const DEFAULT_RATES: RateTable = {
  frame: { perSecond: 60, burst: 120 },
  invalid: { perSecond: 5, burst: 20 },
  strikes: { perSecond: 1, burst: 19 },
  hello: { perSecond: 1, burst: 5 },
  ping: { perSecond: 2, burst: 10 },
  // A presenter holding an arrow key, or a clicker stepping fragments fast.
  goto: { perSecond: 30, burst: 60 },
  // A rename re-sends a quiz's leaderboard to the room: people pick a nickname once or twice.
  quizName: { perSecond: 0.2, burst: 3 },
  // The laser pointer and pen strokes: the console sends at most 20 a second of each (protocol/live.ts).
  pointer: { perSecond: 30, burst: 60 },
  stroke: { perSecond: 30, burst: 60 },
  default: { perSecond: 5, burst: 20 },
};

/**
 * A rate table with a slot number per kind, made once per relay and shared by every
 * connection. 'frame' and 'hello', which every connection uses, get the first slots.
 */
export class RatePlan {
  private readonly slots = new Map<string, number>();
  readonly rates: Rate[] = [];
  private readonly fallback: number;

  constructor(table: RateTable = DEFAULT_RATES) {
    const kinds = ['frame', 'hello', ...Object.keys(table).filter((k) => k !== 'frame' && k !== 'hello')];
    for (const kind of kinds) {
      const rate = table[kind];
      if (!rate) continue;
      this.slots.set(kind, this.rates.length);
      this.rates.push(rate);
    }
    if (!this.slots.has('default')) {
      this.slots.set('default', this.rates.length);
      this.rates.push(DEFAULT_RATES.default!);
    }
    this.fallback = this.slots.get('default')!;
  }

  slot(kind: string): number {
    return this.slots.get(kind) ?? this.fallback;
  }
}

/**
 * One connection's token buckets. Every phone holds one for as long as it is connected, so it
 * is two numbers per kind used in one plain array (unboxed doubles), not a Map of bucket
 * objects: about 60 bytes instead of about 280 at 10 000 phones.
 */
export class Limiter {
  /** Tokens of slot s at 2s, the time they were counted at 2s+1; a hole is a bucket not used yet (full). */
  private readonly state: number[] = [];

  constructor(private readonly plan: RatePlan) {}

  /** True if a message of `kind` may go through now (and counts it). */
  take(kind: string, now = Date.now()): boolean {
    const slot = this.plan.slot(kind);
    const rate = this.plan.rates[slot]!;
    const at = slot * 2;
    const held = this.state[at];
    const tokens = held === undefined ? rate.burst : Math.min(rate.burst, held + ((now - this.state[at + 1]!) / 1000) * rate.perSecond);
    this.state[at + 1] = now;
    if (tokens < 1) {
      this.state[at] = tokens;
      return false;
    }
    this.state[at] = tokens - 1;
    return true;
  }
}
