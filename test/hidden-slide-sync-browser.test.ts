/**
 * In Chromium: a deck with hidden slides (one alone, one in a stack, one stack left empty)
 * and fragments is stepped through from the presenter console with Space, reveal.js's own
 * "next". After every step the phone and the screen are on the presenter's position, the
 * server refused nothing, and the console's notes are the notes of the slide on screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadDeck } from '../server/deck/index.ts';
import type { RunningServer } from '../server/start.ts';
import { joinRoom, launchBrowser, newRoomPages, watchErrors } from './support/browser.ts';
import { deckPosition, waitForPosition, type DomPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const CURRENT = '.ld-current .reveal';

const DECK = `# One

Note: notes of one

---

<!-- .slide: data-visibility="hidden" -->
## Hidden alone

Note: hidden notes, never shown

---

## Two

- a <!-- .element: class="fragment" -->
- b <!-- .element: class="fragment" -->

Note: notes of two

---

## Three

Note: notes of three

----

<!-- .slide: data-visibility="hidden" -->
## Hidden in a stack

Note: hidden stack notes

----

## Three B

<p class="fragment" data-fragment-index="3">x</p>
<p class="fragment" data-fragment-index="3">y</p>

Note: notes of three B

---

<!-- .slide: data-visibility="hidden" -->
## A stack of one hidden slide

---

## Four

Note: notes of four
`;

describe('in Chromium: stepping past hidden slides', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let phone: Page;
  let screen: Page;
  const refusals: string[] = [];
  const errors: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livedeck-hidden-'));
    await writeFile(join(dir, 'talk.md'), DECK);
    server = await startTestServer({ deckPath: join(dir, 'talk.md') });
    browser = await launchBrowser();
    const pages = await newRoomPages(browser);
    ({ presenter, phone, screen } = pages);
    for (const p of [presenter, phone, screen]) errors.push(...watchErrors(p));
    presenter.on('websocket', (ws) => ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"error"')) refusals.push(f.payload);
    }));
    await joinRoom(pages, server.urls);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps phone, screen and notes with the presenter on every step, with nothing refused', async () => {
    const deck = await loadDeck(join(dir, 'talk.md'));
    assert.deepEqual(deck.stacks, [1, 1, 2, 1]);
    assert.deepEqual(deck.fragments, [[0], [2], [0, 1], [0]]);
    // Every position Space steps through; the two fragments of Three B share an index, so one step shows both.
    const expected: DomPosition[] = [
      { h: 0, v: 0, fragments: 0 },
      { h: 1, v: 0, fragments: 0 },
      { h: 1, v: 0, fragments: 1 },
      { h: 1, v: 0, fragments: 2 },
      { h: 2, v: 0, fragments: 0 },
      { h: 2, v: 1, fragments: 0 },
      { h: 2, v: 1, fragments: 2 },
      { h: 3, v: 0, fragments: 0 },
    ];
    for (const [i, position] of expected.entries()) {
      if (i > 0) await presenter.keyboard.press('Space');
      await waitForPosition(presenter, position, CURRENT);
      await waitForPosition(phone, position);
      await waitForPosition(screen, position);
      const notes = deck.notes[`${position.h}/${position.v}`] ?? '';
      if (notes) await presenter.locator('.ld-notes-text', { hasText: notes }).waitFor({ timeout: 3000 });
    }
    assert.deepEqual(await deckPosition(phone), expected.at(-1));
    assert.deepEqual(refusals, [], 'the server refused no move');
    assert.deepEqual(errors, []);
  });
});
