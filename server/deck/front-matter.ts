/**
 * reveal-md style front matter: `key: value` lines between a leading `---` and the next
 * `---` (or `...`). Read simply, without a YAML library: top-level scalar keys only; nested
 * or list values (reveal-md's `revealOptions:`) are skipped.
 */

export interface FrontMatter {
  /** Lower-case keys to unquoted values. */
  meta: Record<string, string>;
  /** The markdown after the front matter (the whole text when there is none). */
  body: string;
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
const KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;

export function splitFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { meta: {}, body: text };
  const close = lines.findIndex((line, i) => i > 0 && CLOSE.test(line));
  if (close < 0) return { meta: {}, body: text };

  const meta: Record<string, string> = {};
  let keys = 0;
  let comments = 0;
  for (const line of lines.slice(1, close)) {
    if (line.trim() === '') continue;
    if (/^\s*#/.test(line)) {
      comments++;
      continue;
    }
    // Indented lines and list items continue a nested value, which is not read.
    if (/^[ \t]/.test(line) || /^-(?:\s|$)/.test(line)) {
      if (keys === 0) return { meta: {}, body: text };
      continue;
    }
    const m = KEY.exec(line);
    // Not YAML: the leading `---` was a slide separator and this is a slide.
    if (!m) return { meta: {}, body: text };
    keys++;
    meta[(m[1] ?? '').toLowerCase()] = scalar(m[2] ?? '');
  }
  // Only `# …` lines: markdown headings on a slide, not YAML comments.
  if (keys === 0 && comments > 0) return { meta: {}, body: text };
  return { meta, body: lines.slice(close + 1).join('\n') };
}

function scalar(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      return String(JSON.parse(v));
    } catch {
      return v.slice(1, -1);
    }
  }
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  // Plain YAML scalars end at a ` #` comment. `|` and `>` start block values, which are not read.
  const plain = v.replace(/\s+#.*$/, '');
  return plain === '|' || plain === '>' ? '' : plain;
}
