export interface JoinGuardOptions {
  /** Failed attempts allowed per address within the window. */
  maxFailures?: number;
  windowMs?: number;
  /** Most addresses tracked; the oldest are forgotten first (memory stays bounded under a spray). */
  maxAddresses?: number;
}

const DEFAULTS: Required<JoinGuardOptions> = { maxFailures: 20, windowMs: 60_000, maxAddresses: 50_000 };

/**
 * Counts failed join-code (and key) attempts per client address, for both the HTTP join
 * routes and the WebSocket hello. A 6-character code has ~887 million values; at 20 guesses
 * a minute per address, guessing one takes centuries.
 */
export class JoinGuard {
  private readonly options: Required<JoinGuardOptions>;
  /** address → failure timestamps within the window, oldest first. Map order = insertion order. */
  private readonly failures = new Map<string, number[]>();

  constructor(options: JoinGuardOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** False while nobody has failed lately: a join then needs no address (see Relay). */
  anyFailures(): boolean {
    return this.failures.size > 0;
  }

  /** True when this address has used up its failures for now. */
  blocked(address: string, now = Date.now()): boolean {
    return this.recent(address, now).length >= this.options.maxFailures;
  }

  fail(address: string, now = Date.now()): void {
    const list = this.recent(address, now);
    list.push(now);
    this.failures.delete(address);
    this.failures.set(address, list);
    while (this.failures.size > this.options.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  private recent(address: string, now: number): number[] {
    const list = this.failures.get(address);
    if (!list) return [];
    const since = now - this.options.windowMs;
    while (list.length && list[0]! <= since) list.shift();
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
