import type { Edit } from './edits.ts';
import type { ElementNode } from './html-tree.ts';

/** An attribute to set; a null value is a bare attribute (`data-auto-animate`). */
export interface NewAttr {
  name: string;
  value: string | null;
}

/** Comments may only set these: nothing that runs script (on*) or changes where things load from. */
export function isSafeAttributeName(name: string): boolean {
  return /^(?:class|id|style|data-[a-z0-9_.:-]+)$/i.test(name);
}

/**
 * Reads `class="fragment" data-x='1' data-flag` as reveal's attribute comments write them.
 * Unsafe names are dropped.
 */
export function parseAttributeList(text: string): NewAttr[] {
  const out: NewAttr[] = [];
  const re = /([^\s"'=<>`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of text.matchAll(re)) {
    const name = m[1] ?? '';
    if (!isSafeAttributeName(name)) continue;
    out.push({ name: name.toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? null });
  }
  return out;
}

/** Joins several lists: class tokens accumulate, any other name keeps its last value. */
export function mergeAttrs(lists: readonly NewAttr[][]): NewAttr[] {
  const merged = new Map<string, NewAttr>();
  for (const list of lists) {
    for (const a of list) {
      const before = merged.get(a.name);
      merged.set(a.name, a.name === 'class' && before ? { name: 'class', value: joinClasses(before.value, a.value) } : a);
    }
  }
  return [...merged.values()];
}

export function formatAttr(a: NewAttr): string {
  return a.value === null ? a.name : `${a.name}="${a.value.replace(/"/g, '&quot;')}"`;
}

export function formatAttrs(attrs: readonly NewAttr[]): string {
  return attrs.map((a) => ` ${formatAttr(a)}`).join('');
}

/** Edits that set `attrs` on the start tag of `el`; a class is added to the classes already there. */
export function setAttributeEdits(el: ElementNode, attrs: readonly NewAttr[]): Edit[] {
  const edits: Edit[] = [];
  const added: NewAttr[] = [];
  for (const a of attrs) {
    const existing = el.attrs.find((e) => e.key === a.name);
    if (!existing) {
      added.push(a);
      continue;
    }
    const value = a.name === 'class' ? joinClasses(existing.value, a.value) : a.value;
    edits.push({ start: existing.start, end: existing.end, text: formatAttr({ name: existing.name, value }) });
  }
  if (added.length > 0) {
    const at = el.attrs.at(-1)?.end ?? el.nameEnd;
    edits.push({ start: at, end: at, text: formatAttrs(added) });
  }
  return edits;
}

function joinClasses(a: string | null, b: string | null): string {
  const tokens = `${a ?? ''} ${b ?? ''}`.split(/\s+/).filter(Boolean);
  return [...new Set(tokens)].join(' ');
}
