/**
 * In Chromium: a deck's reveal.js set-up reaches every page. Code is highlighted with line
 * steps and math renders (KaTeX from livedeck itself, no CDN), the screen view honours the
 * deck's own options, extra style sheets and scripts apply, and a phone on a deck without code
 * or math never downloads highlight.js or KaTeX.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { loadDeck, type Deck } from '../server/deck/index.ts';
import type { RunningServer } from '../server/start.ts';
import { joinRoom, launchBrowser, laptopContext, newRoomPages, phoneContext, watchErrors } from './support/browser.ts';
import { deckPosition, waitForPosition } from './support/deck-dom.ts';
import { SMALL_DECK, startTestServer } from './support/server.ts';
import { REVEAL_DIR } from './fidelity/reference.ts';

const CODE_MATH = fileURLToPath(new URL('./fixtures/code-math/index.html', import.meta.url));
const CURRENT = '.ld-current .reveal';

/** Every URL a page requests, and every CSP violation it reports. */
async function watchPage(page: Page): Promise<{ requests: string[]; violations: string[] }> {
  const requests: string[] = [];
  const violations: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  return { requests, violations };
}

async function connected(page: Page, screen = false): Promise<void> {
  await page.locator(screen ? 'body[data-status="connected"]' : '.ld-status[data-status="connected"]').waitFor();
}

describe('in Chromium: a deck with code and math', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let phone: Page;
  let screen: Page;
  const errors: string[] = [];
  let phoneLog: { requests: string[]; violations: string[] };
  let screenLog: { requests: string[]; violations: string[] };

  before(async () => {
    const loaded = await loadDeck(CODE_MATH);
    // What the deck model reports for this deck: one code block with two line steps, math on slide 3.
    const deck: Deck = {
      ...loaded,
      fragments: [[0], [2], [0], [0]],
      reveal: { ...loaded.reveal, plugins: ['highlight', 'math'], highlightTheme: 'monokai' },
    };
    server = await startTestServer({ deck });
    browser = await launchBrowser();
    const pages = await newRoomPages(browser);
    ({ presenter, phone, screen } = pages);
    for (const p of [presenter, phone, screen]) errors.push(...watchErrors(p));
    phoneLog = await watchPage(phone);
    screenLog = await watchPage(screen);
    await joinRoom(pages, server.urls);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('highlights code on every page, with reveal.js line numbers', async () => {
    for (const page of [presenter, phone, screen]) {
      await page.locator('.reveal pre code.hljs .hljs-keyword').first().waitFor({ state: 'attached' });
      assert.ok((await page.locator('.reveal pre code .hljs-ln-numbers').count()) > 0, 'line numbers drawn');
    }
  });

  it('steps through the code lines as fragments, with phone and screen on the same step and the notes of the slide shown', async () => {
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 });
    for (const step of [1, 2]) {
      await presenter.keyboard.press('Space');
      await waitForPosition(presenter, { h: 1, v: 0, fragments: step }, CURRENT);
      await waitForPosition(phone, { h: 1, v: 0, fragments: step });
      await waitForPosition(screen, { h: 1, v: 0, fragments: step });
      assert.equal(await presenter.locator('.ld-notes-text').textContent(), 'Notes for code.');
    }
    // The line the last step highlights is the one the screen shows highlighted.
    const highlighted = await screen.locator('.reveal section.present pre code.current-fragment tr.highlight-line').textContent();
    assert.match(highlighted ?? '', /onclose/);
    assert.equal(await presenter.locator('.ld-refusal').isVisible(), false, 'no refused move');
    assert.equal(await presenter.locator('.ld-mismatch').isVisible(), false, 'the console agrees with the server');
  });

  it('renders math with KaTeX fetched from livedeck itself', async () => {
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 });
    for (const page of [phone, screen]) await page.locator('.reveal section.present .katex-display .katex').waitFor();
    assert.equal(await presenter.locator('.ld-notes-text').textContent(), 'Notes for math.');
    const katex = phoneLog.requests.filter((u) => /katex/.test(u));
    assert.ok(katex.some((u) => u.endsWith('/assets/katex/dist/katex.min.js')), `KaTeX script from livedeck: ${katex.join(', ')}`);
    const base = server.urls.base;
    const outside = [...phoneLog.requests, ...screenLog.requests].filter((u) => /^https?:/.test(u) && !u.startsWith(base));
    assert.deepEqual(outside, [], 'nothing fetched from another host');
    assert.ok(phoneLog.requests.some((u) => /\/assets\/highlight-[A-Z0-9]+\.js$/.test(u)), 'the highlight chunk is loaded for a deck with code');
  });

  it('ran with no page error and no CSP violation', () => {
    assert.deepEqual(errors, []);
    assert.deepEqual([...phoneLog.violations, ...screenLog.violations], []);
  });
});

describe('in Chromium: the deck set-up on the screen view and phones', () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'livedeck-setup-'));
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("centres slide 1 on the screen view where reveal.js lays it out once fonts and styles have settled (reveal.js's demo)", async () => {
    const server = await startTestServer({ deck: await loadDeck(join(REVEAL_DIR, 'demo.html')) });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      // Offline like a venue: the demo's pictures on other hosts get an empty 404 at once.
      await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.fulfill({ status: 404, body: '' }));
      const screen = await context.newPage();
      await screen.goto(server.urls.screen);
      await connected(screen, true);
      await screen.waitForLoadState('load');
      await screen.evaluate(() => document.fonts.ready);
      const top = () => screen.evaluate(() => document.querySelector<HTMLElement>('.reveal .slides > section.present')!.style.top);
      const settled = await top();
      // A resize makes reveal.js lay out again from the page as it is now: the slide must already be there.
      await screen.evaluate(() => window.dispatchEvent(new Event('resize')));
      assert.equal(settled, await top(), 'slide 1 was centred from a height measured before the page settled');
      assert.notEqual(settled, '', 'reveal.js centres slide 1 (a top is set)');
    } finally {
      await server.close();
    }
  });

  it('never downloads highlight.js or KaTeX on a phone when the deck has no code or math', async () => {
    const server = await startTestServer({ deckPath: SMALL_DECK });
    try {
      const phone = await (await phoneContext(browser)).newPage();
      const log = await watchPage(phone);
      const scripts: Array<Promise<number>> = [];
      phone.on('response', (r) => {
        if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => b.length));
      });
      await phone.goto(server.urls.audience);
      await connected(phone);
      await phone.waitForTimeout(500);
      // Zoom (3 KB) is on for Markdown decks as in reveal-md's template; the heavy plugins must not come.
      const heavy = log.requests.filter((u) => /highlight|katex|hljs|math-/.test(u));
      assert.deepEqual(heavy, []);
      // Also by weight, whatever a chunk is called: highlight.js alone is over 1 MB of script.
      const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      assert.ok(bytes < 400_000, `the phone loaded ${bytes} bytes of script`);
      assert.ok(log.requests.some((u) => /\/assets\/audience\.js/.test(u)), 'the page bundle was requested (the list is real)');
    } finally {
      await server.close();
    }
  });

  it("applies the deck's own options on the screen view, extra CSS and theme files, and runs its scripts with Reveal ready", async () => {
    writeFileSync(join(dir, 'my-theme.css'), '.reveal { --ld-test-theme: mine; } .reveal h1 { color: rgb(255, 0, 0); }');
    writeFileSync(join(dir, 'extra.css'), '.reveal h1 { letter-spacing: 7px; }');
    writeFileSync(join(dir, 'after.js'), 'document.body.dataset.deckScript = String(window.Reveal.getTotalSlides());');
    const loaded = await loadDeck(SMALL_DECK);
    const deck: Deck = {
      ...loaded,
      dir,
      reveal: {
        options: { controls: true, progress: false, slideNumber: 'c/t', transition: 'none', width: 800, height: 600, center: false, hash: true, shuffle: true },
        plugins: [],
        highlightTheme: null,
        themeCss: '/deck/my-theme.css',
        css: ['/deck/extra.css'],
        scripts: ['/deck/after.js'],
      },
    };
    const server = await startTestServer({ deck });
    try {
      const screen = await (await laptopContext(browser)).newPage();
      const errors = watchErrors(screen);
      await screen.goto(server.urls.screen);
      await screen.locator('body[data-status="connected"]').waitFor();
      await screen.locator('body[data-deck-script="5"]').waitFor();
      const seen = await screen.evaluate(() => {
        const reveal = document.querySelector<HTMLElement>('.reveal')!;
        const h1 = document.querySelector<HTMLElement>('.reveal .slides section.present h1')!;
        const slides = document.querySelector<HTMLElement>('.reveal .slides')!;
        return {
          controls: getComputedStyle(reveal.querySelector('.controls')!).display,
          progress: getComputedStyle(reveal.querySelector('.progress')!).display,
          slideNumber: (reveal.querySelector<HTMLElement>('.slide-number')?.textContent ?? '').replace(/\s+/g, ''),
          width: slides.style.width,
          transition: reveal.dataset.transition ?? null,
          color: getComputedStyle(h1).color,
          spacing: getComputedStyle(h1).letterSpacing,
          themes: Array.from(document.querySelectorAll('link[rel=stylesheet]'), (l) => l.getAttribute('href')),
        };
      });
      assert.equal(seen.controls, 'block', 'controls: true');
      assert.equal(seen.progress, 'none', 'progress: false');
      assert.equal(seen.slideNumber, '1/5');
      assert.equal(seen.width, '800px');
      assert.equal(seen.color, 'rgb(255, 0, 0)', 'the theme file beside the deck');
      assert.equal(seen.spacing, '7px', 'the extra style sheet, after the theme');
      assert.ok(!seen.themes.some((h) => h?.startsWith('/theme/')), 'the named theme is replaced by the file');
      // livedeck's own rules still win: no hash routing, and the slides keep their order.
      const presenter = await (await laptopContext(browser)).newPage();
      await presenter.goto(server.urls.presenter);
      await presenter.locator('.ld-status[data-status="connected"]').waitFor();
      await presenter.keyboard.press('ArrowRight');
      await waitForPosition(screen, { h: 1, v: 0, fragments: 0 });
      assert.equal(new URL(screen.url()).hash, '', 'hash: true from the deck is overridden');
      assert.match((await screen.locator('.reveal .slides > section.present h1').textContent()) ?? '', /Two/);
      assert.deepEqual(await deckPosition(presenter, CURRENT), { h: 1, v: 0, fragments: 0 });
      assert.deepEqual(errors, []);
    } finally {
      await server.close();
    }
  });
});
