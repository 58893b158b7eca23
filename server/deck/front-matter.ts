import { parse } from 'yaml';

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

export function splitFrontMatter(text: string): FrontMatter {
  const m = BLOCK.exec(text);
  if (!m) return { meta: {}, body: text };
  let meta: unknown;
  try {
    meta = parse(m[1] ?? '');
  } catch {
    // Not YAML: the leading `---` was a slide separator and the block is a slide (reveal-md would stop here; livedeck shows the slide).
    return { meta: {}, body: text };
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return { meta: {}, body: text };
  return { meta: meta as Record<string, unknown>, body: text.slice(m[0].length) };
}
