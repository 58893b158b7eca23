import type { Page } from 'playwright-core';

/** A reveal.js position: `getState()`'s indexh, indexv and indexf (-1 when no fragment shows). */
export interface Position {
  h: number;
  v: number;
  f: number;
}

export function samePosition(a: Position | null, b: Position | null): boolean {
  return !!a && !!b && a.h === b.h && a.v === b.v && a.f === b.f;
}

/** "3", "3.2", "3.2 f1": one-based slide, then how many fragment steps show (as speakers count). */
export function positionLabel(p: Position): string {
  return `${p.h + 1}${p.v > 0 ? `.${p.v + 1}` : ''}${p.f >= 0 ? ` f${p.f + 1}` : ''}`;
}

/**
 * The position a page shows, read from the DOM as reveal.js's own getState() computes it
 * (livedeck's pages keep their reveal instance private): the present section, and the
 * data-fragment-index of the current fragment (reveal renumbers them 0..n-1 at start).
 */
export function readPosition(page: Page, root = '.reveal'): Promise<Position | null> {
  return page.evaluate((rootSel) => {
    const slides = document.querySelector(`${rootSel} .slides`);
    if (!slides) return null;
    const tops = Array.from(slides.children).filter((c) => c.tagName === 'SECTION');
    const h = tops.findIndex((s) => s.classList.contains('present'));
    if (h < 0) return null;
    const top = tops[h]!;
    const inner = Array.from(top.children).filter((c) => c.tagName === 'SECTION');
    const v = inner.length ? Math.max(0, inner.findIndex((s) => s.classList.contains('present'))) : 0;
    const current = inner.length ? inner[v]! : top;
    // reveal's getIndices(): the current fragment's index, else the count of visible ones minus one.
    const currentFragment = current.querySelector('.current-fragment');
    const f =
      currentFragment?.hasAttribute('data-fragment-index')
        ? Number(currentFragment.getAttribute('data-fragment-index'))
        : current.querySelectorAll('.fragment.visible').length - 1;
    return { h, v, f };
  }, root);
}

/** Polls until the page shows `expected`; returns what it showed last (the caller decides what a miss means). */
export async function waitForPosition(page: Page, expected: Position, root = '.reveal', timeoutMs = 3000): Promise<Position | null> {
  const deadline = Date.now() + timeoutMs;
  let last: Position | null = null;
  for (;;) {
    last = await readPosition(page, root);
    if (samePosition(last, expected) || Date.now() > deadline) return last;
    await page.waitForTimeout(25);
  }
}
