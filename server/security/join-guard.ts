export interface JoinGuardOptions {
  /** Wrong codes (or keys) counted per address within the window; past them a wrong guess is refused at once. */
  maxFailures?: number;
  windowMs?: number;
  /** Wrong guesses within the window answered at once (typos); later ones wait `stepMs` more each. */
  freeFailures?: number;
  stepMs?: number;
  /** Longest an answer to a wrong guess is held back. */
  maxDelayMs?: number;
  /** Answers held back at once per address; a wrong guess past them is refused at once. */
  maxHeldPerAddress?: number;
  /** Answers held back at once in all (memory and timers stay bounded under a spray of addresses). */
  maxHeld?: number;
  /** Most addresses tracked; the oldest are forgotten first (memory stays bounded under a spray). */
  maxAddresses?: number;
}

const DEFAULTS: Required<JoinGuardOptions> = {
  maxFailures: 20,
  windowMs: 60_000,
  freeFailures: 3,
  stepMs: 1000,
  maxDelayMs: 10_000,
  maxHeldPerAddress: 16,
  maxHeld: 10_000,
  maxAddresses: 50_000,
};

/**
 * What to do with a wrong guess: answer it after `delayMs` (0: now), or refuse it now because the
 * address has used its wrong guesses for the window (`retryMs`: until one of them expires).
 */
export type GuessVerdict = { kind: 'answer'; delayMs: number } | { kind: 'refuse'; retryMs: number };

/**
 * Slows join-code (and key) guessing per client address, for both the HTTP join routes and the
 * WebSocket hello, without ever slowing the room: only *wrong* guesses are counted, delayed or
 * refused. A right code or key is never checked against this, so a venue behind one NAT address
 * (or everyone behind a reverse proxy) keeps joining while a guesser at the same address waits.
 *
 * A guesser who waits for each answer gets `freeFailures` quick answers, then answers that come
 * 1 s, 2 s, … later, and at most `maxFailures` a minute. The right code must always be let in at
 * once, so a guesser who does not wait (who counts "no welcome yet" as wrong) learns as fast as
 * the server answers anyone: there the defence is the code's size (docs/reliability.md).
 */
export class JoinGuard {
  private readonly options: Required<JoinGuardOptions>;
  /** address → wrong-guess timestamps within the window, oldest first. Map order = insertion order. */
  private readonly failures = new Map<string, number[]>();
  /** address → answers held back now. */
  private readonly heldBy = new Map<string, number>();
  private heldTotal = 0;

  constructor(options: JoinGuardOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Counts a wrong guess from `address` and says how to answer it. */
  wrong(address: string, now = Date.now()): GuessVerdict {
    const list = this.recent(address, now);
    const { maxFailures, windowMs, freeFailures, stepMs, maxDelayMs } = this.options;
    // A refused guess is not counted: the window then empties a minute after the last counted one.
    if (list.length >= maxFailures) return { kind: 'refuse', retryMs: list[0]! + windowMs - now };
    list.push(now);
    this.failures.delete(address);
    this.failures.set(address, list);
    while (this.failures.size > this.options.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    return { kind: 'answer', delayMs: Math.min(maxDelayMs, Math.max(0, list.length - freeFailures) * stepMs) };
  }

  /**
   * The whole rule for one wrong guess, for every door (HTTP join form, WebSocket hello): counts
   * it, and when its answer is to be held back, reserves the room for it or refuses the guess if
   * the address (or the server) already holds too many. An `answer` with a delay must be given
   * back with release() once it went out.
   */
  judge(address: string, now = Date.now()): GuessVerdict {
    const verdict = this.wrong(address, now);
    if (verdict.kind === 'refuse' || verdict.delayMs === 0) return verdict;
    return this.hold(address) ? verdict : { kind: 'refuse', retryMs: verdict.delayMs };
  }

  /** Reserves room for one held-back answer; false when the address (or the server) holds too many. */
  hold(address: string): boolean {
    const held = this.heldBy.get(address) ?? 0;
    if (held >= this.options.maxHeldPerAddress || this.heldTotal >= this.options.maxHeld) return false;
    this.heldBy.set(address, held + 1);
    this.heldTotal++;
    return true;
  }

  /** Gives back what hold() reserved, once the answer went out (or its connection went away). */
  release(address: string): void {
    const held = this.heldBy.get(address);
    if (held === undefined) return;
    if (held > 1) this.heldBy.set(address, held - 1);
    else this.heldBy.delete(address);
    this.heldTotal--;
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

/** "Too many wrong join codes from your network. Wait 42 s." without the code's own text. */
export function waitSeconds(ms: number): string {
  return `Wait ${Math.max(1, Math.ceil(ms / 1000))} s.`;
}
