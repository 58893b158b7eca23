/**
 * An open-text poll and the Q&A sheet on real phone viewports: the poll's panel must not cover
 * the sheet someone opened to ask a question.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
/** Screenshots land here when LIVEDECK_SHOTS is set (for looking at the pages, not asserted). */
const SHOTS = process.env.LIVEDECK_SHOTS;

const PHONES = [
  { name: 'iPhone 13', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 },
  { name: 'iPhone SE', viewport: { width: 375, height: 667 }, deviceScaleFactor: 2 },
];

/** True when a tap at the centre of the element lands on it (nothing drawn over it there). */
function tappable(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

describe('in Chromium: an open-text poll and the Q&A sheet on phones', () => {
  let server: RunningServer;
  let browser: Browser;
  let driver: TestClient;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ deckPath: POLL_DECK });
    browser = await launchBrowser();
    driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    // On the poll's slide, as in a talk.
    driver.send({ type: 'goto', state: { indexh: 4, indexv: 0, indexf: -1, paused: false, overview: false } });
    driver.send({ type: 'openPoll', poll: 'open' });
    await driver.next('poll');
  });

  after(async () => {
    driver?.close();
    await browser?.close();
    await server?.close();
  });

  for (const phone of PHONES) {
    it(`keeps the Ask button visible and tappable on an ${phone.name} (${phone.viewport.width}×${phone.viewport.height})`, async () => {
      const context = await browser.newContext({ ...phone, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      errors.push(...watchErrors(page));
      await page.goto(server.urls.audience);
      await page.locator('.ld-status[data-status="connected"]').first().waitFor();
      const answer = page.locator('.ld-poll-card[data-poll-id="open"] textarea');
      await answer.waitFor();

      await page.locator('.ld-ix-launch').tap();
      await page.locator('.ld-ix-tab', { hasText: 'Questions' }).tap();
      await page.locator('.ld-ix-ask-text').fill(`Asked from an ${phone.name}`);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/poll-and-sheet-${phone.viewport.width}.png` });
      const ask = page.getByRole('button', { name: 'Ask', exact: true });
      assert.ok(await ask.isVisible());
      assert.ok(await tappable(page, '.ld-ix-compose .ld-ix-primary'), 'the Ask button is the element at its centre');
      assert.ok(await tappable(page, '.ld-ix-sort'), 'and the questions below it are not covered either');
      await ask.tap();
      await page.locator('.ld-ix-q.ld-ix-mine', { hasText: `Asked from an ${phone.name}` }).waitFor();

      // Closing the sheet brings the poll back, answerable.
      await page.locator('.ld-ix-close').tap();
      await answer.waitFor();
      assert.ok(await tappable(page, '.ld-poll-card[data-poll-id="open"] textarea'));
      await context.close();
      assert.deepEqual(errors, []);
    });
  }
});
