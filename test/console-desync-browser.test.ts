/**
 * In Chromium: never a silent desync. When the server's deck model disagrees with the deck the
 * console shows (here: the server was given a deck without the fourth slide, as happened with
 * a hidden slide counted on one side only), the console says so where the speaker looks, a
 * refused move shows a banner over the slide and in the status, and the notes shown always
 * belong to the slide on the console's screen.
 */
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { loadDeck } from '../server/deck/index.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { deckPosition, waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const DECK = fileURLToPath(new URL('./fixtures/desync/index.html', import.meta.url));
const CURRENT = '.ld-current .reveal';

describe('in Chromium: the console never hides a desync', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let phone: Page;
  const errors: string[] = [];

  /** The heading of the slide the console shows, and the notes beside it. */
  async function shown(): Promise<{ heading: string; notes: string }> {
    return presenter.evaluate(() => ({
      heading: document.querySelector('.ld-current .reveal .slides > section.present h2')?.textContent ?? '',
      notes: document.querySelector('.ld-notes-text')?.lastChild?.textContent ?? '',
    }));
  }

  async function expectNotesOf(heading: string): Promise<void> {
    const now = await shown();
    assert.equal(now.heading, heading);
    assert.equal(now.notes, `Notes for ${heading.toLowerCase()}.`, `notes beside "${heading}"`);
  }

  before(async () => {
    const loaded = await loadDeck(DECK);
    assert.deepEqual(loaded.stacks, [1, 1, 1, 1]);
    // The server's model lacks the fourth slide the browser shows.
    server = await startTestServer({ deck: { ...loaded, stacks: [1, 1, 1], fragments: [[0], [2], [0]] } });
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    phone = await (await phoneContext(browser)).newPage();
    for (const p of [presenter, phone]) errors.push(...watchErrors(p));
    await presenter.goto(server.urls.presenter);
    await phone.goto(server.urls.audience);
    for (const p of [presenter, phone]) await p.locator('.ld-status[data-status="connected"]').waitFor({ state: 'attached' });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('warns, as soon as it joins, that its deck differs from the phones\' and names the first differing slide', async () => {
    const mismatch = presenter.locator('.ld-mismatch');
    await mismatch.waitFor();
    assert.match((await mismatch.textContent()) ?? '', /slide 4 onwards is not in the deck phones have/);
    assert.equal(await presenter.locator('.ld-status-label').textContent(), 'Out of sync: see the warning');
  });

  it('keeps the notes on the slide shown at every step, while phones follow the moves the server accepts', async () => {
    await expectNotesOf('Slide one');
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 });
    await expectNotesOf('Slide two');
    for (const step of [1, 2]) {
      await presenter.keyboard.press('Space');
      await waitForPosition(phone, { h: 1, v: 0, fragments: step });
      await expectNotesOf('Slide two');
    }
    await presenter.keyboard.press('Space');
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 });
    await expectNotesOf('Slide three');
    assert.equal(await presenter.locator('.ld-refusal').isVisible(), false);
  });

  it('shows a red banner over the slide and in the status when the server refuses a move, and keeps the notes of the slide on screen', async () => {
    await presenter.keyboard.press('ArrowRight');
    const refusal = presenter.locator('.ld-refusal');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'Phones are on slide 3 – this slide is not in the deck they have');
    assert.equal(await presenter.locator('.ld-status-label').textContent(), 'Phones are on slide 3 – this slide is not in the deck they have');
    assert.equal(await refusal.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(192, 57, 43)');
    // Over the current slide, where the speaker looks.
    const box = await refusal.boundingBox();
    const slide = await presenter.locator('.ld-current').boundingBox();
    assert.ok(box && slide && box.y >= slide.y && box.y + box.height <= slide.y + slide.height, 'inside the current slide area');
    await expectNotesOf('Slide four');
    assert.match((await presenter.locator('.ld-notes-doubt').textContent()) ?? '', /may belong to another slide/);
    await phone.waitForTimeout(300);
    assert.deepEqual(await deckPosition(phone), { h: 2, v: 0, fragments: 0 }, 'the phone stays where the server is');
    assert.deepEqual(await deckPosition(presenter, CURRENT), { h: 3, v: 0, fragments: 0 });
  });

  it('clears the banner once phones follow again', async () => {
    await presenter.keyboard.press('ArrowLeft');
    await presenter.locator('.ld-refusal').waitFor({ state: 'hidden' });
    await expectNotesOf('Slide three');
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 });
    // The standing difference is still said.
    assert.equal(await presenter.locator('.ld-mismatch').isVisible(), true);
  });

  it('ran without page errors', () => {
    assert.deepEqual(errors, []);
  });
});
