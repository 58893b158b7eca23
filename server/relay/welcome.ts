import type { WelcomeMessage } from '../../protocol/messages.ts';
import { putHead, headLength, textFrames } from '../room/frame.ts';

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

/** Every field of WelcomeMessage that welcomeFrames writes. */
type Written = 'type' | 'v' | 'seq' | 'epoch' | 'role' | 'connection' | 'talk' | 'deck' | 'audience' | 'notes' | 'polls' | 'reactions';
// A field added to WelcomeMessage must be written below too: until it is, this stops compiling.
const everyFieldWritten: [Exclude<keyof WelcomeMessage, Written>] extends [never] ? true : never = true;
void everyFieldWritten;

/**
 * Everything in a joiner's first write except their connection id and the audience count,
 * already UTF-8: the welcome's text around those two, and the snapshot frames that follow it.
 * In a join storm it is the same for everyone of one role between two changes.
 */
interface Shared {
  readonly from: Omit<WelcomeMessage, 'type' | 'connection' | 'audience' | 'polls'> & { polls: string | undefined; snapshots: readonly string[] };
  /** `{"type":"welcome",…,"connection":` */
  readonly head: Buffer;
  /** `,"talk":…,"deck":…,"audience":` */
  readonly middle: Buffer;
  /** `,"notes":…,"polls":…}` */
  readonly tail: Buffer;
  /** The snapshot frames. */
  readonly after: Buffer;
}

/** The last Shared made, per talk (its info object) and role. */
const lastShared = new WeakMap<object, Map<string, Shared>>();

function sameInputs(from: Shared['from'], message: WelcomeMessage, polls: string | undefined, snapshots: readonly string[]): boolean {
  return (
    from.seq === message.seq &&
    from.epoch === message.epoch &&
    from.v === message.v &&
    from.talk === message.talk &&
    from.deck === message.deck &&
    from.notes === message.notes &&
    // Only staff welcomes carry reaction totals, a fresh object each time: staff are few.
    from.reactions === message.reactions &&
    from.epoch === message.epoch &&
    from.polls === polls &&
    from.snapshots.length === snapshots.length &&
    // Snapshot texts come from per-seq caches, so these are usually the same string objects.
    from.snapshots.every((s, i) => s === snapshots[i])
  );
}

function sharedParts(message: WelcomeMessage, polls: string | undefined, snapshots: readonly string[]): Shared {
  let byRole = lastShared.get(message.talk);
  if (!byRole) lastShared.set(message.talk, (byRole = new Map()));
  const known = byRole.get(message.role);
  if (known && sameInputs(known.from, message, polls, snapshots)) return known;
  const { v, seq, epoch, role, talk, deck, notes, reactions } = message;
  // v and seq are integers, which print the same in a template as in JSON, and role is one of
  // four plain words (the Role union), which JSON would not escape.
  let tail = notes === undefined ? '' : `,"notes":${jsonOnce(notes)}`;
  if (polls !== undefined) tail += `,"polls":${polls}`;
  if (reactions !== undefined) tail += `,"reactions":${JSON.stringify(reactions)}`;
  const made: Shared = {
    from: { v, seq, epoch, role, talk, deck, notes, reactions, polls, snapshots },
    head: Buffer.from(`{"type":"welcome","v":${v},"seq":${seq},"epoch":${JSON.stringify(epoch)},"role":"${role}","connection":`),
    middle: Buffer.from(`,"talk":${jsonOnce(talk)},"deck":${jsonOnce(deck)},"audience":`),
    tail: Buffer.from(`${tail}}`),
    after: textFrames(snapshots),
  };
  byRole.set(role, made);
  return made;
}

/**
 * A welcome frame followed by the snapshot frames that complete it, in one buffer for one
 * write; the welcome's text is what JSON.stringify gives. `pollsJson`, when given, is `polls`
 * already serialised by the polls feature (see pollViewsJson). Thousands of joiners in a storm
 * differ only in `connection` and `audience`: the rest is encoded once (sharedParts) and copied,
 * which costs a fraction of encoding a ~1–2 KB string per phone.
 */
export function welcomeFrames(message: WelcomeMessage, pollsJson: string | undefined, snapshots: readonly string[]): Buffer {
  const polls = pollsJson ?? (message.polls === undefined ? undefined : JSON.stringify(message.polls));
  const { head, middle, tail, after } = sharedParts(message, polls, snapshots);
  const connection = JSON.stringify(message.connection);
  const audience = String(message.audience);
  const connectionBytes = Buffer.byteLength(connection);
  const length = head.length + connectionBytes + middle.length + audience.length + tail.length;
  const frames = Buffer.allocUnsafe(headLength(length) + length + after.length);
  let at = putHead(frames, 0, length);
  at += head.copy(frames, at);
  at += frames.write(connection, at, connectionBytes, 'utf8');
  at += middle.copy(frames, at);
  at += frames.write(audience, at, audience.length, 'latin1');
  at += tail.copy(frames, at);
  after.copy(frames, at);
  return frames;
}
