/**
 * The last live position a phone saw, kept in localStorage per talk: a phone that reloads the
 * page with no network (the service worker serves the deck, client/phone/offline.ts) opens on
 * the slide the room was on, not on slide 1, until the link is back and a welcome resyncs it.
 */
import type { DeckState } from '../../protocol/messages.ts';

const keyFor = (talk: string) => `livedeck:last-state:${talk}`;

export function saveLastState(talk: string, state: DeckState): void {
  try {
    localStorage.setItem(keyFor(talk), JSON.stringify(state));
  } catch (err) {
    // Private mode or a full quota: the phone still follows, it only forgets across reloads.
    console.warn('livedeck: could not remember the slide', err);
  }
}

/** The remembered state, or null when there is none or what is stored is not a deck state. */
export function lastState(talk: string): DeckState | null {
  let text: string | null;
  try {
    text = localStorage.getItem(keyFor(talk));
  } catch (err) {
    console.warn('livedeck: could not read the remembered slide', err);
    return null;
  }
  if (!text) return null;
  try {
    return toDeckState(JSON.parse(text));
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
