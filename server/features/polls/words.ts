/**
 * Word-cloud entries: one entry per word a person gives, normalised so "WebSockets", " websockets "
 * and "Web  Sockets"-with-odd-spaces count together, and a deny-list that keeps words off every screen.
 */
import type { BallotValue } from '../../../protocol/polls.ts';
import { normalizeWord } from '../../../protocol/words.ts';

export { normalizeWord };

/** A ballot's words, normalised, without blanks or repeats: a person counts once per word. */
export function wordsOf(value: BallotValue): string[] {
  const raw = 'words' in value ? value.words : 'text' in value ? [value.text] : [];
  return [...new Set(raw.map(normalizeWord).filter((w) => w !== ''))];
}

/** A deny-list as it is matched: normalised, without blanks. */
export function denySet(deny: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((deny ?? []).map(normalizeWord).filter((w) => w !== ''));
}

/**
 * Whether a normalised entry is denied: it is a denied word, or one of its words is (so a denied
 * word cannot be slipped in as part of a two-word entry). Entries of several words may be denied whole.
 */
export function isDenied(word: string, deny: ReadonlySet<string>): boolean {
  if (deny.size === 0) return false;
  if (deny.has(word)) return true;
  return word.split(/[\s\-_.,;:!?/]+/).some((part) => deny.has(part));
}
