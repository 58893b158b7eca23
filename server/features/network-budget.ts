/**
 * Limits on the audience's stored writes per client address, on top of the per-participant
 * ones. A participant id is whatever the client says in its hello, so a client that reconnects
 * with a fresh id each time would otherwise get a fresh allowance each time. Here an address may
 * store, per window, what one participant may (QA_LIMITS) times the most audience connections
 * open from it at once within the last minute: a venue of 500 phones behind one NAT address gets
 * 500 phones' worth (still after a Wi-Fi blip, or once phones that wrote have gone), a client
 * rotating ids through one connection at a time gets one phone's worth. (Per connection the per-participant limits already
 * hold: a connection has one participant.)
 */
import type { WindowLimit } from './qa/window.ts';
import { peerAddress, type Peer } from '../room/peer.ts';
import type { Talk } from '../talk/talk.ts';

export type WriteKind = 'ask' | 'chat' | 'upvote' | 'ballot';

/** Per open writing connection at one address. The first three match the per-participant limits. */
export const NETWORK_LIMITS: Record<WriteKind, WindowLimit> = {
  ask: { count: 3, windowMs: 60_000 },
  chat: { count: 10, windowMs: 30_000 },
  upvote: { count: 30, windowMs: 10_000 },
  // New voters, not ballots: only a participant's first ballot in a poll counts (a changed vote
  // replaces it). One phone is one new voter per poll; a fresh id per ballot is ballot stuffing.
  ballot: { count: 5, windowMs: 30_000 },
};

/** What people call each kind in a refusal. */
const WRITE_NOUNS: Record<WriteKind, string> = { ask: 'questions', chat: 'chat messages', upvote: 'votes', ballot: 'new voters' };

/** A window is counted in this many slots: O(1) per write, however many phones share the address. */
const SLOTS = 10;

/** Addresses kept before idle ones (none open, nothing in any window) are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * Over how long the most audience connections open at once from an address are remembered: the
 * longest of the windows, so everything still counted was sent while that many were open.
 */
const PEAK_WINDOW_MS = Math.max(...Object.values(NETWORK_LIMITS).map((l) => l.windowMs));

/** Writes of one kind from one address over the last window, in SLOTS slots (a ring); or a peak. */
class SlotWindow {
  private readonly counts = new Array<number>(SLOTS).fill(0);
  /** The slot number (time / slotMs) of the newest slot. */
  private newest = 0;
  private readonly slotMs: number;

  constructor(windowMs: number) {
    this.slotMs = windowMs / SLOTS;
  }

  /** Writes within the last window (the oldest slot may be partly older: at most a slot's worth more). */
  used(now: number): number {
    this.advance(now);
    let sum = 0;
    for (const n of this.counts) sum += n;
    return sum;
  }

  add(now: number): void {
    this.advance(now);
    this.counts[this.newest % SLOTS]!++;
  }

  /** Takes back the newest write still counted (one that was not stored after all). */
  remove(now: number): void {
    this.advance(now);
    for (let slot = this.newest; slot > this.newest - SLOTS; slot--) {
      const at = ((slot % SLOTS) + SLOTS) % SLOTS;
      if (this.counts[at]! > 0) {
        this.counts[at]!--;
        return;
      }
    }
  }

  /** Keeps the largest value seen in the current slot (for a peak rather than a count). */
  raise(now: number, value: number): void {
    this.advance(now);
    const at = this.newest % SLOTS;
    if (value > this.counts[at]!) this.counts[at] = value;
  }

  /** The largest value raise() kept within the last window. */
  peak(now: number): number {
    this.advance(now);
    return Math.max(...this.counts);
  }

  /** How long until the oldest writes still counted leave the window. */
  waitMs(now: number): number {
    this.advance(now);
    for (let slot = this.newest - SLOTS + 1; slot <= this.newest; slot++) {
      if (this.counts[((slot % SLOTS) + SLOTS) % SLOTS]! > 0) return (slot + SLOTS) * this.slotMs - now;
    }
    return 0;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.newest) return;
    for (let s = Math.max(this.newest + 1, slot - SLOTS + 1); s <= slot; s++) this.counts[s % SLOTS] = 0;
    this.newest = slot;
  }
}

export class NetworkBudget {
  /** Audience connections open now, per address. */
  private readonly open = new Map<string, number>();
  /** The most that were open at once lately, per address. */
  private readonly peaks = new Map<string, SlotWindow>();
  /** Recent writes per address and kind. */
  private readonly windows = new Map<string, Partial<Record<WriteKind, SlotWindow>>>();

  constructor(
    private readonly limits: Record<WriteKind, WindowLimit> = NETWORK_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** An audience connection joined the talk (its address is read now, once). */
  joined(peer: Peer): void {
    const address = peerAddress(peer);
    const open = (this.open.get(address) ?? 0) + 1;
    this.open.set(address, open);
    let peak = this.peaks.get(address);
    if (!peak) {
      if (this.peaks.size >= SWEEP_ABOVE) this.sweep(this.now());
      peak = new SlotWindow(PEAK_WINDOW_MS);
      this.peaks.set(address, peak);
    }
    peak.raise(this.now(), open);
  }

  /** It left; its writes still count until they leave the window. */
  left(peer: Peer): void {
    const address = peer.address;
    if (address === undefined || address === null) return;
    const n = this.open.get(address) ?? 0;
    if (n > 1) this.open.set(address, n - 1);
    else this.open.delete(address);
  }

  /** 0 when `peer`'s address may store one more write of `kind` (and counts it); otherwise ms to wait. */
  take(peer: Peer, kind: WriteKind): number {
    const now = this.now();
    const address = peerAddress(peer);
    let windows = this.windows.get(address);
    if (!windows) {
      if (this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      windows = {};
      this.windows.set(address, windows);
    }
    const limit = this.limits[kind];
    const window = (windows[kind] ??= new SlotWindow(limit.windowMs));
    // The peak, not only those open now: after a Wi-Fi blip, or phones that wrote and went, what
    // the room sent while it was all there still fits. One client rotating ids has a peak of one.
    const phones = Math.max(1, this.open.get(address) ?? 0, this.peaks.get(address)?.peak(now) ?? 0);
    if (window.used(now) >= limit.count * phones) return Math.max(1, window.waitMs(now));
    window.add(now);
    return 0;
  }

  /**
   * A write `take` counted was not stored (the log could not take it, so the phone sends it
   * again; or another node had it already): it must not count twice, or phones retrying through
   * a Redis outage would use up their network's budget and have their writes refused for good.
   */
  giveBack(peer: Peer, kind: WriteKind): void {
    this.windows.get(peerAddress(peer))?.[kind]?.remove(this.now());
  }

  private sweep(now: number): void {
    for (const [address, windows] of this.windows) {
      if (Object.values(windows).every((w) => w.used(now) === 0)) this.windows.delete(address);
    }
    for (const [address, peak] of this.peaks) {
      if (!this.open.has(address) && peak.peak(now) === 0) this.peaks.delete(address);
    }
  }
}

const budgets = new WeakMap<Talk, NetworkBudget>();

/** The talk's budget; one per talk, like the features' own state. */
export function networkBudgetOf(talk: Talk): NetworkBudget {
  let budget = budgets.get(talk);
  if (!budget) {
    budget = new NetworkBudget();
    budgets.set(talk, budget);
  }
  return budget;
}

/** "Too many questions from your network right now." for a refusal's detail. */
export function networkRefusal(kind: WriteKind): string {
  return `Too many ${WRITE_NOUNS[kind]} from your network right now.`;
}
