import { cleanName, cleanText, QA_LIMITS, textLength } from '../../protocol/qa.ts';
import type { Peer } from '../room/peer.ts';
import { refuse } from './reply.ts';

export interface WrittenRule {
  /** What the text is called in messages: "question", "message". */
  noun: string;
  maxChars: number;
  /** What to say when it is empty: "Type a question first." */
  whenEmpty: string;
}

/**
 * Cleans a question or chat line and its optional display name, and checks their lengths.
 * On a misfit it answers the sender (with the write's key, so the outbox drops it) and returns null.
 */
export function checkWritten(
  peer: Peer,
  ref: string,
  key: string | undefined,
  written: { text: string; name?: string | null | undefined },
  rule: WrittenRule,
): { text: string; name: string | null } | null {
  const text = cleanText(written.text);
  if (!text) {
    refuse(peer, 'empty_text', ref, rule.whenEmpty, key);
    return null;
  }
  if (textLength(text) > rule.maxChars) {
    refuse(peer, 'text_too_long', ref, `A ${rule.noun} may be at most ${rule.maxChars} characters.`, key);
    return null;
  }
  const name = cleanName(written.name);
  if (name && textLength(name) > QA_LIMITS.nameChars) {
    refuse(peer, 'text_too_long', ref, `A name may be at most ${QA_LIMITS.nameChars} characters.`, key);
    return null;
  }
  return { text, name };
}
