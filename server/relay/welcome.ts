import type { WelcomeMessage } from '../../protocol/messages.ts';

/**
 * JSON of objects that are replaced, never mutated: the talk's info and notes, and each deck
 * state (Talk swaps in a new object on every move). Keyed by identity, so an entry goes when
 * its object does.
 */
const serialized = new WeakMap<object, string>();

function jsonOnce(value: object): string {
  let json = serialized.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    serialized.set(value, json);
  }
  return json;
}

/** Every field of WelcomeMessage that welcomeJson writes. */
type Written = 'type' | 'v' | 'seq' | 'role' | 'connection' | 'talk' | 'deck' | 'audience' | 'notes' | 'polls';
// A field added to WelcomeMessage must be written below too: until it is, this stops compiling.
const everyFieldWritten: [Exclude<keyof WelcomeMessage, Written>] extends [never] ? true : never = true;
void everyFieldWritten;

/**
 * A welcome as JSON, the same text JSON.stringify(message) gives. In a join storm thousands of
 * welcomes differ only in `connection`, `audience` and the polls; the biggest part, `talk` (a
 * number for every stack of the deck), is the same for all of them, and the deck state for all
 * who join between two moves. Those parts are serialised once. Every value still goes through
 * JSON.stringify; only the braces and the fixed keys are written here.
 */
export function welcomeJson(message: WelcomeMessage): string {
  const { v, seq, role, connection, talk, deck, audience, notes, polls } = message;
  let json =
    `{"type":"welcome","v":${JSON.stringify(v)},"seq":${JSON.stringify(seq)},"role":${JSON.stringify(role)}` +
    `,"connection":${JSON.stringify(connection)},"talk":${jsonOnce(talk)},"deck":${jsonOnce(deck)},"audience":${JSON.stringify(audience)}`;
  if (notes !== undefined) json += `,"notes":${jsonOnce(notes)}`;
  if (polls !== undefined) json += `,"polls":${JSON.stringify(polls)}`;
  return `${json}}`;
}
