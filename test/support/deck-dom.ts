import type { Page } from 'playwright-core';

export interface DomPosition {
  h: number;
  v: number;
  /** Number of visible fragments on the current slide. */
  fragments: number;
}

/** What the DOM says of the slide a page shows: where it is, and its fragments. */
export interface SlideDom {
  h: number;
  v: number;
  /** How many fragments of the current slide are visible. */
  visible: number;
  /** The `data-fragment-index` of the current fragment (reveal renumbers them 0..n-1), null when none is current. */
  currentIndex: number | null;
}

/** Reads the present slide from the DOM the person sees (not from app internals). */
export function readSlideDom(page: Page, root = '.reveal'): Promise<SlideDom | null> {
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
    const currentFragment = current.querySelector('.current-fragment');
    const currentIndex = currentFragment?.hasAttribute('data-fragment-index') ? Number(currentFragment.getAttribute('data-fragment-index')) : null;
    return { h, v, visible: current.querySelectorAll('.fragment.visible').length, currentIndex };
  }, root);
}

/** Where a page's reveal deck is, counting visible fragments. */
export async function deckPosition(page: Page, root = '.reveal'): Promise<DomPosition | null> {
  const dom = await readSlideDom(page, root);
  return dom && { h: dom.h, v: dom.v, fragments: dom.visible };
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
