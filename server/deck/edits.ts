/** Splicing replacements into a string by source offsets, as found by html-tree.ts. */

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies edits to `src`. An edit that overlaps one already kept (for example a URL inside
 * a note that is removed as a whole) is dropped: the outer edit wins.
 */
export function applyEdits(src: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Edit[] = [];
  let reach = -1;
  for (const edit of sorted) {
    if (edit.start < reach) continue;
    kept.push(edit);
    reach = Math.max(reach, edit.end);
  }
  let out = '';
  let at = 0;
  for (const edit of kept) {
    out += src.slice(at, edit.start) + edit.text;
    at = Math.max(at, edit.end);
  }
  return out + src.slice(at);
}
