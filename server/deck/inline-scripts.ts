import { createHash } from 'node:crypto';

/** Script types a browser runs; anything else (`text/template`, JSON data) is inert. */
const RUNNABLE = /^(?:|module|(?:text|application)\/(?:x-)?(?:java|ecma)script)$/i;

/** The CSP source that allows exactly this inline script's text. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The deck's own inline scripts under `root` (the author is trusted), as CSP hash sources,
 * unique, in order. The text is hashed as served: the serializer writes script text raw.
 */
export function inlineScriptHashes(root: Element): string[] {
  const hashes = [...root.querySelectorAll('script:not([src])')]
    .filter((s) => RUNNABLE.test((s.getAttribute('type') ?? '').trim()))
    .map((s) => scriptHash(s.textContent ?? ''));
  return [...new Set(hashes)];
}
