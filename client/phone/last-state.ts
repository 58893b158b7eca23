/**
 * The last live position a phone saw, kept in localStorage per talk: a phone that reloads the
 * page with no network (the service worker serves the deck, client/phone/offline.ts) opens on
 * the slide the room was on, not on slide 1, until the link is back and a welcome resyncs it.
 * With it, the seq of that position and the epoch it counts in: a welcome from a cluster node a
 * moment behind (same epoch, lower seq) must not move the phone back to an older slide.
 */
import type { DeckState } from '../../protocol/messages.ts';

const keyFor = (talk: string) => `livedeck:last-state:${talk}`;

/** A position in the talk's log: seqs compare only within one epoch (protocol/cluster.ts). */
export interface LogMark {
  seq: number;
  /** Absent from a server that sends none (before cluster mode): then no seq is compared. */
  epoch?: string;
}

export interface Remembered {
  state: DeckState;
  mark: LogMark | null;
}

export function saveLastState(talk: string, state: DeckState, mark: LogMark | null = null): void {
  try {
    localStorage.setItem(keyFor(talk), JSON.stringify(mark ? { ...state, seq: mark.seq, ...(mark.epoch === undefined ? {} : { epoch: mark.epoch }) } : state));
  } catch (err) {
    // Private mode or a full quota: the phone still follows, it only forgets across reloads.
    console.warn('livedeck: could not remember the slide', err);
  }
}

/** The remembered state, or null when there is none or what is stored is not a deck state. */
export function lastState(talk: string): DeckState | null {
  return remembered(talk)?.state ?? null;
}

/** The remembered state with its log mark (null for an entry saved without one). */
export function remembered(talk: string): Remembered | null {
  let text: string | null;
  try {
    text = localStorage.getItem(keyFor(talk));
  } catch (err) {
    console.warn('livedeck: could not read the remembered slide', err);
    return null;
  }
  if (!text) return null;
  try {
    return toRemembered(JSON.parse(text));
  } catch {
    console.warn('livedeck: ignored a remembered slide that is not JSON');
    return null;
  }
}

/** Storage is an edge like the wire: anything but five well-typed fields is nothing. */
export function toDeckState(value: unknown): DeckState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const index = (n: unknown, min: number) => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= 10_000;
  if (!index(v.indexh, 0) || !index(v.indexv, 0) || !index(v.indexf, -1)) return null;
  if (typeof v.paused !== 'boolean' || typeof v.overview !== 'boolean') return null;
  return { indexh: v.indexh as number, indexv: v.indexv as number, indexf: v.indexf as number, paused: v.paused, overview: v.overview };
}

/** A stored entry: a deck state, with a seq (and epoch) when it was saved with one. */
export function toRemembered(value: unknown): Remembered | null {
  const state = toDeckState(value);
  if (!state) return null;
  const { seq, epoch } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return { state, mark: null };
  if (epoch !== undefined && (typeof epoch !== 'string' || epoch.length === 0 || epoch.length > 64)) return { state, mark: null };
  return { state, mark: epoch === undefined ? { seq } : { seq, epoch } };
}

/**
 * Whether `mine` is further along the same log than a welcome at `theirs`: the node that sent it
 * has not caught up yet, so its older position is not shown. Different or missing epochs say
 * nothing (the talk was restored, or the server predates epochs): the welcome wins.
 */
export function aheadOf(mine: LogMark | null, theirs: LogMark): boolean {
  return mine !== null && mine.epoch !== undefined && mine.epoch === theirs.epoch && mine.seq > theirs.seq;
}
