/**
 * The phone page on real phone viewports (320–430 px, portrait and landscape): an open poll sheet
 * leaves the slide readable above it, the floating controls cover neither each other nor the slide,
 * a dropped network is said in words within 5 s, and paused or overview phones are not in the way.
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
/** Screenshots land here when LIVEDECK_SHOTS is set (for looking at the pages, not asserted). */
const SHOTS = process.env.LIVEDECK_SHOTS;

const PHONES = [
  { name: 'small phone', width: 320, height: 568 },
  { name: 'iPhone SE', width: 375, height: 667 },
  { name: 'iPhone 13', width: 390, height: 844 },
  { name: 'Pixel 7', width: 412, height: 915 },
  { name: 'iPhone 13 landscape', width: 844, height: 390 },
  { name: 'small phone landscape', width: 568, height: 320 },
];

/** Our floating controls (reveal.js's own arrows live inside the slide area and are not ours). */
const CONTROLS = {
  status: '.ld-status',
  ask: '.ld-ix-launch',
  react: '.ld-tray-toggle',
  pill: '.ld-poll-panel.ld-collapsed',
  backToLive: '.ld-back',
} as const;

interface Box { x: number; y: number; width: number; height: number }

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The boxes of the visible floating controls, by name. */
function controlBoxes(page: Page): Promise<Record<string, Box>> {
  return page.evaluate((controls) => {
    const out: Record<string, { x: number; y: number; width: number; height: number }> = {};
    for (const [name, selector] of Object.entries(controls)) {
      const element = document.querySelector(selector);
      if (!element) continue;
      const r = element.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out[name] = { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return out;
  }, CONTROLS);
}

function slideBox(page: Page): Promise<Box> {
  return page.$eval('.reveal .slides > section.present', (s) => {
    const r = s.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

/** True when a tap at the centre of the element lands on it (nothing drawn over it there). */
function tappable(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

/** reveal.js's arrows that are showing (an arrow with nowhere to go is hidden). */
function arrowBoxes(page: Page): Promise<Box[]> {
  return page.$$eval('.reveal .controls button.enabled', (buttons) =>
    buttons.map((b) => b.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
  );
}

/** The slide's whole frame (reveal.js's scaled .slides box), not only its content: what the arrows must keep off. */
function slideFrame(page: Page): Promise<Box> {
  return page.$eval('.reveal .slides', (s) => {
    const r = s.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

/**
 * reveal.js's arrows are on screen and cover neither the slide's frame nor one of our controls
 * (or, where `mayHide`, are not shown at all: a portrait phone with the poll sheet open).
 */
async function assertArrowsClear(page: Page, viewport: { width: number; height: number }, what: string, mayHide = false): Promise<void> {
  const slide = await slideFrame(page);
  const arrows = await arrowBoxes(page);
  assert.ok(mayHide || arrows.length > 0, `${what}: reveal.js's arrows show`);
  const controls = await controlBoxes(page);
  for (const arrow of arrows) {
    assert.ok(arrow.x >= 0 && arrow.y >= 0 && arrow.x + arrow.width <= viewport.width && arrow.y + arrow.height <= viewport.height, `${what}: the arrow ${JSON.stringify(arrow)} is on screen`);
    assert.ok(!intersects(arrow, slide), `${what}: the arrow ${JSON.stringify(arrow)} is off the slide ${JSON.stringify(slide)}`);
    for (const [control, box] of Object.entries(controls)) assert.ok(!intersects(arrow, box), `${what}: the arrow ${JSON.stringify(arrow)} is off ${control} ${JSON.stringify(box)}`);
  }
}

function assertApart(boxes: Record<string, Box>, what: string): void {
  const names = Object.keys(boxes);
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      assert.ok(!intersects(boxes[a]!, boxes[b]!), `${what}: ${a} ${JSON.stringify(boxes[a])} overlaps ${b} ${JSON.stringify(boxes[b])}`);
    }
  }
}

/** reveal.js has re-laid out the slide for the sheet and finished sliding it into place. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.waitForFunction(() => document.getAnimations().length === 0);
}

describe('in Chromium: the phone page on phones from 320 to 430 px, portrait and landscape', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: TestClient;
  const errors: string[] = [];

  const at = (state: Partial<DeckState>): DeckState => ({ indexh: 1, indexv: 0, indexf: -1, paused: false, overview: false, ...state });

  async function phone(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    errors.push(...watchErrors(page));
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    return { context, page };
  }

  before(async () => {
    server = await startTestServer({ deckPath: PHONE_DECK });
    browser = await launchBrowser();
    presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    // On the single-choice poll's slide, the poll open, as in a talk.
    presenter.send({ type: 'goto', state: at({}) });
    presenter.send({ type: 'openPoll', poll: 'transport' });
    await presenter.next('poll');
  });

  after(async () => {
    presenter?.close();
    await browser?.close();
    await server?.close();
  });

  for (const { name, width, height } of PHONES) {
    it(`on a ${name} (${width}×${height}) the open poll sits below or beside a readable slide and no control covers another`, async () => {
      const { context, page } = await phone({ width, height });
      const sheet = page.locator('.ld-poll-panel:not(.ld-collapsed)');
      await sheet.locator('.ld-ballot-option').first().waitFor();
      await settled(page);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/layout-${width}x${height}-poll.png` });

      const slide = await slideBox(page);
      const panel = (await sheet.boundingBox())!;
      if (width < height) {
        assert.ok(slide.y + slide.height <= panel.y + 0.5, `the slide (bottom ${slide.y + slide.height}) ends above the sheet (top ${panel.y})`);
      } else {
        assert.ok(!intersects(slide, panel), `the slide ${JSON.stringify(slide)} is beside the sheet ${JSON.stringify(panel)}`);
      }
      assert.ok(slide.y >= 0 && slide.x >= 0 && slide.x + slide.width <= width + 0.5, `the slide ${JSON.stringify(slide)} is on screen`);
      const title = page.locator('.reveal .slides > section.present h2');
      assert.ok(await tappable(page, '.reveal .slides > section.present h2'), 'the slide title is not covered');
      assert.ok(((await title.boundingBox())?.height ?? 0) >= 8, 'and not shrunk to nothing');
      const withSheet = await controlBoxes(page);
      assertApart(withSheet, 'poll open');
      await assertArrowsClear(page, { width, height }, 'poll open', width < height);
      if (width > height) {
        const bottom = await page.$eval('.reveal', (r) => r.getBoundingClientRect().bottom);
        assert.equal(Math.round(bottom), height, 'a landscape phone gives the slide area its whole height (the arrows are in the column)');
      }
      for (const [control, box] of Object.entries(withSheet)) {
        assert.ok(!intersects(box, slide), `${control} does not cover the slide`);
        assert.ok(!intersects(box, panel), `${control} does not cover the poll sheet`);
      }

      // Folded to its pill, with the reactions tray open and the phone browsing on its own.
      await page.locator('.ld-panel-toggle').tap();
      await page.locator(CONTROLS.pill).waitFor();
      await page.keyboard.press('ArrowRight');
      await page.locator(CONTROLS.backToLive).waitFor();
      await settled(page);
      const folded = await controlBoxes(page);
      assert.deepEqual(Object.keys(folded).sort(), Object.keys(CONTROLS).sort(), 'every control is on screen');
      assertApart(folded, 'poll folded');
      const browsing = await slideBox(page);
      for (const [control, box] of Object.entries(folded)) assert.ok(!intersects(box, browsing), `${control} does not cover the slide`);
      await assertArrowsClear(page, { width, height }, 'poll folded');
      await page.locator(CONTROLS.react).tap();
      await page.locator('.ld-pace[data-signal="fast"]').waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/layout-${width}x${height}-pill-tray.png` });
      const { react: _toggle, ...others } = await controlBoxes(page);
      const tray = (await page.locator('.ld-tray').boundingBox())!;
      for (const [control, box] of Object.entries(others)) assert.ok(!intersects(box, tray), `the open reactions tray leaves ${control} uncovered`);
      assert.ok(await tappable(page, CONTROLS.pill), 'the Vote pill is the element at its centre');
      assert.ok(await tappable(page, '.ld-pace[data-signal="fast"]'), '"Too fast" is the element at its centre');
      assert.ok(await tappable(page, '.ld-pace[data-signal="slow"]'), 'and so is "Lost me"');
      await context.close();
      assert.deepEqual(errors, []);
    });
  }

  it('keeps every number of a 0–10 rating on one line on a 320 px phone', async () => {
    presenter.send({ type: 'goto', state: at({ indexh: 2 }) });
    presenter.send({ type: 'openPoll', poll: 'ten' });
    await presenter.next('poll');
    const { context, page } = await phone({ width: 320, height: 568 });
    const options = page.locator('.ld-poll-card[data-poll-id="ten"] .ld-ballot-option');
    await options.nth(10).waitFor();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/layout-rating-0-10.png` });
    const lines = await options.evaluateAll((buttons) =>
      buttons.map((b) => {
        const range = document.createRange();
        range.selectNodeContents(b);
        // One line of text has every fragment on the same top.
        return { text: b.textContent, tops: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
      }),
    );
    assert.equal(lines.length, 11);
    for (const { text, tops } of lines) assert.equal(tops, 1, `"${text}" is on one line`);
    presenter.send({ type: 'closePoll', poll: 'ten' });
    presenter.send({ type: 'goto', state: at({}) });
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('changes slides in place, without reveal.js transitions, on a phone that asks for reduced motion', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    const page = await context.newPage();
    errors.push(...watchErrors(page));
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    assert.equal(await page.$eval('.reveal', (r) => r.classList.contains('none') && !r.classList.contains('slide')), true);
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('keeps the screen awake while following, and takes the lock again when the page is back', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // Chromium grants a headless page the lock; the wrapper only lets the test see it.
    await context.addInitScript(() => {
      const locks: WakeLockSentinel[] = [];
      (window as unknown as { ldLocks: WakeLockSentinel[] }).ldLocks = locks;
      const request = navigator.wakeLock.request.bind(navigator.wakeLock);
      navigator.wakeLock.request = async (type) => {
        const lock = await request(type);
        locks.push(lock);
        return lock;
      };
    });
    const page = await context.newPage();
    errors.push(...watchErrors(page));
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    const held = () => page.evaluate(() => (window as unknown as { ldLocks: WakeLockSentinel[] }).ldLocks.filter((l) => !l.released).length);
    await page.waitForFunction(() => (window as unknown as { ldLocks: WakeLockSentinel[] }).ldLocks.length > 0);
    assert.equal(await held(), 1);
    // As when the phone's page was hidden: the browser let go of the lock; coming back takes it again.
    await page.evaluate(async () => {
      for (const lock of (window as unknown as { ldLocks: WakeLockSentinel[] }).ldLocks) await lock.release();
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForFunction(() => (window as unknown as { ldLocks: WakeLockSentinel[] }).ldLocks.some((l) => !l.released));
    assert.equal(await held(), 1);
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('says "Reconnecting…" in words within 5 s of the network dropping, and "Back" when it returns', async () => {
    // Landscape: the words have the least room there, in the column beside the slide.
    const { context, page } = await phone({ width: 568, height: 320 });
    await page.locator('.ld-panel-toggle').tap();
    await page.locator(CONTROLS.pill).waitFor();
    const status = page.locator('.ld-status');
    assert.equal((await status.textContent())?.trim(), 'Live');
    await context.setOffline(true);
    await status.filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 5000 });
    assert.ok(await status.isVisible());
    const reconnecting = await controlBoxes(page);
    assertApart(reconnecting, 'reconnecting');
    assert.ok(!intersects(reconnecting.status!, await slideBox(page)), 'the words stay off the slide');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/layout-reconnecting.png` });
    await context.setOffline(false);
    await page.locator('.ld-status[data-status="connected"]').waitFor({ timeout: 10_000 });
    assert.match((await status.textContent()) ?? '', /^(Back|Live)$/);
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('shows a paused phone no "Resume presentation" button, and keeps overview clear of the controls and the poll sheet', async () => {
    const { context, page } = await phone({ width: 390, height: 844 });
    const sheet = page.locator('.ld-poll-panel:not(.ld-collapsed)');
    await sheet.waitFor();
    presenter.send({ type: 'goto', state: at({ paused: true }) });
    await page.locator('.reveal.paused').waitFor();
    assert.equal(await page.locator('.reveal .pause-overlay .resume-button').isVisible(), false);
    assert.equal(
      await page.$eval('.reveal .pause-overlay', (overlay) => getComputedStyle(overlay, '::after').content),
      '"Paused by the speaker"',
      'it says why the screen went dark',
    );
    assert.deepEqual(await arrowBoxes(page), [], "reveal.js's arrows, which would move the slide under the pause, are hidden");

    presenter.send({ type: 'goto', state: at({ overview: true }) });
    await page.locator('.reveal.overview').waitFor();
    // reveal.js slides the thumbnails into place over 0.8 s.
    await settled(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/layout-overview.png` });
    const thumbnails = await page.$$eval('.reveal.overview .slides > section', (sections) =>
      sections.map((s) => s.getBoundingClientRect()).filter((r) => r.right > 0 && r.left < innerWidth).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
    );
    assert.ok(thumbnails.length > 0);
    const inTheWay = { ...(await controlBoxes(page)), 'poll sheet': (await sheet.boundingBox())! };
    for (const [control, box] of Object.entries(inTheWay)) {
      for (const thumbnail of thumbnails) assert.ok(!intersects(box, thumbnail), `${control} does not cover an overview thumbnail`);
    }
    presenter.send({ type: 'goto', state: at({}) });
    await context.close();
    assert.deepEqual(errors, []);
  });
});
