import type { Page } from 'playwright-core';

export interface DomPosition {
  h: number;
  v: number;
  /** Number of visible fragments on the current slide. */
  fragments: number;
}

/** Where a page's reveal deck is, read from the DOM the person sees (not from app internals). */
export function deckPosition(page: Page, root = '.reveal'): Promise<DomPosition | null> {
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
    return { h, v, fragments: current.querySelectorAll('.fragment.visible').length };
  }, root);
}

/** Polls until the page shows the expected position (the deck animates; sockets are async). */
export async function waitForPosition(page: Page, expected: DomPosition, root = '.reveal', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: DomPosition | null = null;
  while (Date.now() < deadline) {
    last = await deckPosition(page, root);
    if (last && last.h === expected.h && last.v === expected.v && last.fragments === expected.fragments) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`page at ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}
