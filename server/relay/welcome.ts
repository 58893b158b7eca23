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
 * A welcome as JSON, the same text JSON.stringify gives. In a join storm thousands of welcomes
 * differ only in `connection` and `audience`: `talk` (a number for every stack of the deck) is
 * the same for all of them, and the deck state and the polls for all who join between two
 * changes. Those parts are serialised once; `pollsJson`, when given, is `polls` already
 * serialised by the polls feature (see pollViewsJson). Every object still goes through
 * JSON.stringify; only the braces, the fixed keys, the integers and the role are written here.
 */
export function welcomeJson(message: WelcomeMessage, pollsJson?: string): string {
  const { v, seq, role, connection, talk, deck, audience, notes, polls } = message;
  // v, seq and audience are integers, which print the same in a template as in JSON, and role
  // is one of four plain words (the Role union), which JSON would not escape.
  let json =
    `{"type":"welcome","v":${v},"seq":${seq},"role":"${role}","connection":${JSON.stringify(connection)}` +
    `,"talk":${jsonOnce(talk)},"deck":${jsonOnce(deck)},"audience":${audience}`;
  if (notes !== undefined) json += `,"notes":${jsonOnce(notes)}`;
  if (pollsJson !== undefined) json += `,"polls":${pollsJson}`;
  else if (polls !== undefined) json += `,"polls":${JSON.stringify(polls)}`;
  return `${json}}`;
}
