import type { Page } from 'playwright-core';
import { readSlideDom } from '../support/deck-dom.ts';

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
 * The position a page shows, as reveal.js's own getState() computes it (livedeck's pages keep
 * their reveal instance private): the current fragment's index, else the visible ones minus one.
 */
export async function readPosition(page: Page, root = '.reveal'): Promise<Position | null> {
  const dom = await readSlideDom(page, root);
  return dom && { h: dom.h, v: dom.v, f: dom.currentIndex ?? dom.visible - 1 };
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
