import type { Edit } from './edits.ts';
import type { ElementNode } from './html-tree.ts';

/** Where the server serves the deck's folder. Slides are shown from other paths, so relative URLs must point here. */
export const DECK_URL_PREFIX = '/deck/';

/** Attributes holding one URL. */
const URL_ATTRS = new Set([
  'src', 'href', 'xlink:href', 'poster', 'data-src', 'data-background-image', 'data-background-iframe',
  'data-preview-image', 'data-preview-video', 'data-preview-link',
]);
/** Attributes holding a comma-separated list whose items start with a URL. */
const LIST_ATTRS = new Set(['srcset', 'data-srcset', 'data-background-video']);

/** True for `img/a.png`, `./a.png`, `../a.png`; false for schemes (http:, data:, mailto:), `/x`, `//host`, `#x`, `?x`. */
export function isRelativeUrl(url: string): boolean {
  const u = url.trim();
  if (u === '' || /^[/#?]/.test(u)) return false;
  return !/^[a-z][a-z0-9+.-]*:/i.test(u);
}

/** `img/a.png` → `/deck/img/a.png`; anything not relative comes back unchanged. */
export function toDeckUrl(url: string): string {
  if (!isRelativeUrl(url)) return url;
  return DECK_URL_PREFIX + url.trim().replace(/^(?:\.\/)+/, '');
}

/** `data-background` may be a colour, a gradient or an image; only something that looks like a file is rewritten. */
function looksLikeFile(value: string): boolean {
  return isRelativeUrl(value) && !/[()\s]/.test(value.trim()) && /[./]/.test(value);
}

function rewriteList(value: string): string {
  return value
    .split(',')
    .map((item) => item.replace(/^(\s*)(\S+)/, (_, space: string, url: string) => space + toDeckUrl(url)))
    .join(',');
}

/** Edits that point the element's relative URL attributes into the deck folder. */
export function urlEdits(el: ElementNode): Edit[] {
  const edits: Edit[] = [];
  for (const a of el.attrs) {
    if (a.value === null) continue;
    let next = a.value;
    if (URL_ATTRS.has(a.key)) next = toDeckUrl(a.value);
    else if (LIST_ATTRS.has(a.key)) next = rewriteList(a.value);
    else if (a.key === 'data-background' && looksLikeFile(a.value)) next = toDeckUrl(a.value);
    if (next === a.value) continue;
    // Only a prefix is added, never a space or a quote, so an unquoted value stays valid.
    edits.push({ start: a.valueStart, end: a.valueEnd, text: next });
  }
  return edits;
}
