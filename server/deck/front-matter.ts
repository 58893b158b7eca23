import { parse } from 'yaml';
import { DeckError } from './errors.ts';

/**
 * reveal-md's front matter: a YAML mapping between a leading `---` line and the next `---`
 * line (yaml-front-matter's rule), read by a YAML parser, so nested values such as
 * `revealOptions:` arrive as objects.
 */
export interface FrontMatter {
  /** The mapping as YAML gives it; {} when there is none. */
  meta: Record<string, unknown>;
  /** The markdown after the front matter (the whole text when there is none). */
  body: string;
}

const BLOCK = /^---[\n\r]([\s\S]+?)[\n\r]---/;

/** A first line like `title: …`: the block was meant as front matter, so a YAML mistake in it is the author's to fix. */
const LOOKS_LIKE_YAML = /^\s*(?:#.*\n\s*)*[A-Za-z_][\w-]*[ \t]*:(?:\s|$)/;

export function splitFrontMatter(text: string, display = 'the deck'): FrontMatter {
  const m = BLOCK.exec(text);
  if (!m) return { meta: {}, body: text };
  let meta: unknown;
  try {
    meta = parse(m[1] ?? '');
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    if (LOOKS_LIKE_YAML.test(m[1] ?? '')) throw new DeckError(`The front matter of ${display} is not valid YAML: ${why} (quote a value that holds ": ", e.g. title: "A: B")`);
    // Not YAML: the leading `---` was a slide separator and the block is a slide.
    return { meta: {}, body: text };
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return { meta: {}, body: text };
  return { meta: meta as Record<string, unknown>, body: text.slice(m[0].length) };
}
