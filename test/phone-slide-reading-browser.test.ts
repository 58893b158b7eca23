/**
 * Reading a slide on a phone: pinch-zoom works on the audience page, a portrait phone with a wide
 * deck is told once that turning it makes slides bigger, and screen readers hear where the deck is.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const PHONE_DECK = fileURLToPath(new URL('./fixtures/phone.md', import.meta.url));
const TALL_DECK = fileURLToPath(new URL('./fixtures/phone-tall.md', import.meta.url));
const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

interface Box { x: number; y: number; width: number; height: number }
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('in Chromium: reading the slide on a phone', () => {
  let server: RunningServer;
  let tall: RunningServer;
  let browser: Browser;
  let presenter: TestClient;
  const errors: string[] = [];

  async function phone(url: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    errors.push(...watchErrors(page));
    await page.goto(url);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    return { context, page };
  }

  before(async () => {
    server = await startTestServer({ deckPath: PHONE_DECK });
    tall = await startTestServer({ deckPath: TALL_DECK });
    browser = await launchBrowser();
    presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: at(0) });
  });

  after(async () => {
    presenter?.close();
    await browser?.close();
    await server?.close();
    await tall?.close();
  });

  it('lets two fingers zoom the slide: the viewport allows it and nothing from the slide up to the page forbids a pinch', async () => {
    const { context, page } = await phone(server.urls.audience, { width: 390, height: 844 });
    const viewport = (await page.locator('meta[name="viewport"]').getAttribute('content')) ?? '';
    assert.doesNotMatch(viewport, /user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0*)?\b/, viewport);
    // A touch pinch is refused where any element from the touched one up to the root leaves pinch-zoom out of its
    // touch-action (the page's old "pan-x pan-y" did); headless Chromium cannot synthesize a touch pinch, so the chain is read.
    const chain = await page.$eval('.reveal .slides > section.present h1', (element) => {
      const out: string[] = [];
      for (let e: Element | null = element; e; e = e.parentElement) out.push(`${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}: ${getComputedStyle(e).touchAction}`);
      return out;
    });
    for (const link of chain) assert.match(link, /: (auto|manipulation|.*pinch-zoom.*)$/, `${link} lets a pinch through (${chain.join(' < ')})`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.synthesizePinchGesture', { x: 195, y: 420, scaleFactor: 2.5 });
    await page.waitForFunction(() => (visualViewport?.scale ?? 1) > 1.5, undefined, { timeout: 10_000 });
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('tells a portrait phone once, off the slide and the controls, to turn for bigger slides of a wide deck', async () => {
    const { context, page } = await phone(server.urls.audience, { width: 375, height: 667 });
    const hint = page.locator('.ld-rotate-hint');
    await hint.waitFor();
    assert.match((await hint.textContent()) ?? '', /Turn your phone sideways for bigger slides/);
    const box = (await hint.boundingBox())!;
    const content = await page.$eval('.reveal .slides > section.present', (s) => s.getBoundingClientRect().toJSON() as Box);
    assert.ok(!intersects(box, content), `the hint ${JSON.stringify(box)} is off the slide's content ${JSON.stringify(content)}`);
    for (const selector of ['.ld-status', '.ld-ix-launch', '.ld-tray-toggle']) {
      const control = (await page.locator(selector).boundingBox())!;
      assert.ok(!intersects(box, control), `the hint is off ${selector}`);
    }
    // An open Q&A sheet takes the band the hint sits in: the hint gives way while it is open.
    await page.locator('.ld-ix-launch').tap();
    await page.getByRole('button', { name: 'Close', exact: true }).waitFor();
    assert.equal(await hint.isVisible(), false, 'hidden behind no sheet: gone while Q&A is open');
    await page.getByRole('button', { name: 'Close', exact: true }).tap();
    await hint.waitFor();
    await page.getByRole('button', { name: 'Dismiss the hint' }).tap();
    await hint.waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    assert.equal(await hint.count(), 0, 'shown once, not at every visit');
    await context.close();

    const sideways = await phone(server.urls.audience, { width: 667, height: 375 });
    assert.equal(await sideways.page.locator('.ld-rotate-hint').count(), 0, 'a phone already sideways is not told to turn');
    await sideways.context.close();
    const portraitDeck = await phone(tall.urls.audience, { width: 375, height: 667 });
    assert.equal(await portraitDeck.page.locator('.ld-rotate-hint').count(), 0, 'a deck taller than wide is not bigger sideways');
    await portraitDeck.context.close();
    assert.deepEqual(errors, []);
  });

  it('says "Slide n of N: title" to screen readers when the slide changes, and labels its buttons', async () => {
    const { context, page } = await phone(server.urls.audience, { width: 390, height: 844 });
    const announcer = page.getByRole('status').filter({ hasText: /^Slide/ });
    assert.equal(await announcer.textContent(), 'Slide 1 of 3: On a phone');
    presenter.send({ type: 'goto', state: at(1) });
    await page.getByRole('status').filter({ hasText: 'Slide 2 of 3: Pick one' }).waitFor();
    // The accessibility tree has one polite region saying it (reveal.js's own, with the whole slide's text, is silenced).
    const tree = await page.locator('body').ariaSnapshot();
    assert.match(tree, /- status: "Slide 2 of 3: Pick one"/);
    assert.equal(await page.locator('[aria-live="polite"]').filter({ hasText: 'Pick one' }).count(), 1);
    assert.equal(await page.getByRole('status').filter({ hasText: 'Slide 2 of 3: Pick one' }).getAttribute('aria-live'), 'polite');
    // Moves of the person's own are said too.
    await page.getByRole('button', { name: 'next slide' }).tap();
    await page.getByRole('status').filter({ hasText: 'Slide 3 of 3: Rate it out of ten' }).waitFor();
    for (const name of ['previous slide', 'Back to live', 'Q&A · Chat', 'React']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a button named "${name}"`);
    }
    assert.equal(await page.getByRole('status').filter({ hasText: /^(Live|Back)$/ }).count(), 1, 'the connection status is a status too');
    presenter.send({ type: 'goto', state: at(0) });
    await context.close();
    assert.deepEqual(errors, []);
  });
});
