import { createHash } from 'node:crypto';

const handles = new Map<string, string>();
/** Bounds the cache: one entry per participant seen writing, dropped wholesale past this. */
const MAX_CACHED = 50_000;

/**
 * The handle staff see for a participant: a hash, so a moderator can mute a person without
 * ever holding the participant id, which is all a phone shows to prove its own writes.
 */
export function authorOf(participant: string): string {
  let handle = handles.get(participant);
  if (handle === undefined) {
    handle = `p${createHash('sha256').update(`livedeck-author\u0000${participant}`).digest('base64url').slice(0, 16)}`;
    if (handles.size >= MAX_CACHED) handles.clear();
    handles.set(participant, handle);
  }
  return handle;
}
