/**
 * Fragment steps per slide, counted by reveal.js's own rules (dist/reveal.mjs and
 * dist/plugin/highlight.mjs), so the server accepts exactly the positions a browser can show.
 */

/**
 * reveal's `fragments.sort(…, grouped)`: fragments sharing a `data-fragment-index` form one
 * step, each fragment without one is a step of its own after them. The indices go into a
 * sparse array and `forEach` skips its holes, so `2` and `5` are two steps; an index that is
 * not an array index (`-1`, `x`) lands off the array and makes no step.
 */
export function fragmentSteps(indices: readonly (string | null)[]): number {
  const grouped = new Set<number>();
  let loose = 0;
  for (const raw of indices) {
    if (raw === null) {
      loose++;
      continue;
    }
    const index = parseInt(raw, 10);
    if (Number.isInteger(index) && index >= 0 && index < 2 ** 32 - 1) grouped.add(index);
  }
  return grouped.size + loose;
}

/** The highlight plugin's line steps: `1-2|3|4` is three steps (whitespace ignored). */
export function lineSteps(dataLineNumbers: string): number {
  return dataLineNumbers.replace(/\s/g, '').split('|').length;
}

/**
 * The `data-fragment-index` of each clone the highlight plugin adds for a code block with
 * `steps` line steps: one clone per step after the first, numbered on from the block's own
 * index when it has one (`parseInt`), otherwise without an index.
 */
export function lineStepClones(blockIndex: string | null, steps: number): (string | null)[] {
  const start = blockIndex === null ? NaN : parseInt(blockIndex, 10);
  return Array.from({ length: Math.max(0, steps - 1) }, (_, i) => (Number.isNaN(start) ? null : String(start + i)));
}

export interface CountOptions {
  /** The highlight plugin runs on this deck (it adds the line-step fragments). */
  highlight: boolean;
  /**
   * reveal.js option `fragments: false`: every fragment is shown at once and reveal's getState
   * reports `indexf` as the number of `.fragment` elements minus one, so that is the range.
   */
  fragmentsDisabled?: boolean;
}

/**
 * Steps on one slide, as reveal's navigation walks them: its `.fragment:not(.disabled)`
 * elements after the highlight plugin has cloned the code blocks with line steps (a block
 * whose code is empty is left alone; the block itself loses its `data-fragment-index`).
 */
export function slideFragmentSteps(slide: Element, options: CountOptions): number {
  const lineBlocks = new Map<Element, (string | null)[]>();
  if (options.highlight) {
    for (const code of slide.querySelectorAll('pre code[data-line-numbers]')) {
      const steps = lineSteps(code.getAttribute('data-line-numbers') ?? '');
      if ((code.textContent ?? '').trim() === '' || steps < 2) continue;
      lineBlocks.set(code, lineStepClones(code.getAttribute('data-fragment-index'), steps));
    }
  }
  if (options.fragmentsDisabled) {
    const clones = [...lineBlocks.values()].reduce((n, c) => n + c.length, 0);
    return slide.querySelectorAll('.fragment').length + clones;
  }
  const indices: (string | null)[] = [];
  for (const el of slide.querySelectorAll('.fragment:not(.disabled)')) {
    indices.push(lineBlocks.has(el) ? null : el.getAttribute('data-fragment-index'));
  }
  for (const [code, clones] of lineBlocks) {
    // A clone copies the block's classes and gains `fragment`; a disabled block's clones stay disabled.
    if (!code.classList.contains('disabled')) indices.push(...clones);
  }
  return fragmentSteps(indices);
}
