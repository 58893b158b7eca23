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
 * to parse; `strikes` is how many rate-limited messages a connection may send before it is
 * disconnected with 1008. Kinds not listed use `default`.
 */
export const DEFAULT_RATES: RateTable = {
  frame: { perSecond: 60, burst: 120 },
  invalid: { perSecond: 5, burst: 20 },
  strikes: { perSecond: 1, burst: 20 },
  hello: { perSecond: 1, burst: 5 },
  ping: { perSecond: 2, burst: 10 },
  // A presenter holding an arrow key, or a clicker stepping fragments fast.
  goto: { perSecond: 30, burst: 60 },
  default: { perSecond: 5, burst: 20 },
};

class Bucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: Rate, now: number) {
    this.tokens = rate.burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One connection's buckets, created lazily per kind. */
export class Limiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rates: RateTable = DEFAULT_RATES) {}

  /** True if a message of `kind` may go through now (and counts it). */
  take(kind: string, now = Date.now()): boolean {
    const key = Object.hasOwn(this.rates, kind) ? kind : 'default';
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(this.rates[key] ?? DEFAULT_RATES.default!, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }
}
