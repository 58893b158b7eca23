/**
 * In Chromium: a reveal.js deck that stays on its own site (here a second HTTP server on
 * another port, so another origin) adds `livedeck.js` and `plugins: [LiveDeck]`. Opened with
 * the presenter key in its fragment it drives the talk and phones follow; opened without it,
 * it follows the presenter console. Its WebSocket is let in by --allow-origin.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const DECK = fileURLToPath(new URL('./fixtures/hosted/deck.html', import.meta.url));
const REVEAL_DIST = dirname(createRequire(import.meta.url).resolve('reveal.js/reveal.css'));
const CURRENT = '.ld-current .reveal';

/** The deck's own site: its HTML (pointed at the livedeck server once that runs) and reveal.js from node_modules. */
function hostDeck(target: { livedeck: string; talk: string }): Promise<Server> {
  const files: Record<string, [string, string]> = {
    '/reveal/reveal.js': [join(REVEAL_DIST, 'reveal.js'), 'text/javascript'],
    '/reveal/reveal.css': [join(REVEAL_DIST, 'reveal.css'), 'text/css'],
    '/reveal/theme/white.css': [join(REVEAL_DIST, 'theme', 'white.css'), 'text/css'],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = files[path];
    if (path === '/deck.html') {
      const html = readFileSync(DECK, 'utf8').replaceAll('{{LIVEDECK}}', target.livedeck).replaceAll('{{TALK}}', target.talk);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else if (file) res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('in Chromium: the LiveDeck plugin on a deck hosted elsewhere', () => {
  let livedeck: RunningServer;
  let site: Server;
  let siteUrl: string;
  let browser: Browser;
  const errors: string[] = [];
  const target = { livedeck: '', talk: '' };

  before(async () => {
    site = await hostDeck(target);
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    livedeck = await startTestServer({ deckPath: DECK, allowOrigins: [siteUrl] });
    target.livedeck = livedeck.urls.base;
    target.talk = livedeck.code;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await livedeck?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  async function open(url: string, phone = false): Promise<Page> {
    const page = await (phone ? await phoneContext(browser) : await laptopContext(browser)).newPage();
    errors.push(...watchErrors(page));
    await page.goto(url);
    return page;
  }

  it('drives the talk when opened with the presenter key: a phone follows every step', async () => {
    const phone = await open(livedeck.urls.audience, true);
    await phone.locator('.ld-status[data-status="connected"]').waitFor();
    const key = livedeck.presenterKey;
    const hosted = await open(`${siteUrl}/deck.html#key=${key}`);
    await hosted.locator('.livedeck-status[data-status="connected"]').waitFor();
    assert.doesNotMatch(hosted.url(), /key=/, 'the key left the address bar once read');
    await hosted.keyboard.press('ArrowRight');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 });
    await hosted.keyboard.press('Space');
    await hosted.keyboard.press('Space');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 2 });
    await hosted.keyboard.press('ArrowRight');
    await hosted.keyboard.press('ArrowDown');
    await waitForPosition(phone, { h: 2, v: 1, fragments: 0 });
    await waitForPosition(hosted, { h: 2, v: 1, fragments: 0 });
    assert.equal(await hosted.locator('.livedeck-refusal').isVisible(), false);
    await hosted.close();
    await phone.close();
  });

  it('follows the presenter console when opened without a key', async () => {
    const presenter = await open(livedeck.urls.presenter);
    await presenter.locator('.ld-status[data-status="connected"]').waitFor();
    const hosted = await open(`${siteUrl}/deck.html`);
    await hosted.locator('.livedeck-status[data-status="connected"]').waitFor();
    // It joins where the talk is (left there by the test above).
    await waitForPosition(hosted, { h: 2, v: 1, fragments: 0 });
    await presenter.keyboard.press('Home');
    await waitForPosition(hosted, { h: 0, v: 0, fragments: 0 });
    await presenter.keyboard.press('ArrowRight');
    await presenter.keyboard.press('Space');
    await waitForPosition(presenter, { h: 1, v: 0, fragments: 1 }, CURRENT);
    await waitForPosition(hosted, { h: 1, v: 0, fragments: 1 });
    assert.match((await hosted.locator('.livedeck-status').textContent()) ?? '', /following · live/);
    await hosted.close();
    await presenter.close();
  });

  it('is refused by a livedeck server that does not allow the site\'s origin', async () => {
    const strict = await startTestServer({ deckPath: DECK });
    try {
      target.livedeck = strict.urls.base;
      target.talk = strict.code;
      const hosted = await open(`${siteUrl}/deck.html`);
      // Status and words read together: a retry may turn "reconnecting" into "connecting…" between two reads.
      await hosted.waitForFunction(() => {
        const status = document.querySelector('.livedeck-status');
        return status?.getAttribute('data-status') === 'disconnected' && /reconnecting/.test(status.textContent ?? '');
      }, undefined, { timeout: 10_000 });
      assert.equal(await hosted.locator('.livedeck-status[data-status="connected"]').count(), 0, 'never connected');
      await hosted.close();
    } finally {
      target.livedeck = livedeck.urls.base;
      target.talk = livedeck.code;
      await strict.close();
    }
  });

  it("gives the hosted deck's scripts the topics API on LiveDeck: what the presenting deck publishes reaches a phone's subscribers", async () => {
    const phone = await open(livedeck.urls.audience, true);
    await phone.locator('.ld-status[data-status="connected"]').waitFor();
    await phone.evaluate(() => {
      const w = window as unknown as { LiveDeck: { subscribe(t: string, fn: (d: unknown) => void): void }; got?: unknown[] };
      w.got = [];
      w.LiveDeck.subscribe('hosted-status', (data) => w.got!.push(data));
    });
    const key = livedeck.presenterKey;
    const hosted = await open(`${siteUrl}/deck.html#key=${key}`);
    await hosted.locator('.livedeck-status[data-status="connected"]').waitFor();
    const live = hosted.evaluate(() => {
      const api = (window as unknown as { LiveDeck: { role: string; publish(t: string, d: unknown): Promise<void> } }).LiveDeck;
      return api.publish('hosted-status', { from: api.role }).then(() => api.role);
    });
    assert.equal(await live, 'presenter');
    await phone.waitForFunction(() => ((window as unknown as { got?: unknown[] }).got ?? []).length > 0);
    assert.deepEqual(await phone.evaluate(() => (window as unknown as { got: unknown[] }).got), [{ from: 'presenter' }]);
    await hosted.close();
    await phone.close();
  });

  it('ran without page errors', () => {
    assert.deepEqual(errors, []);
  });
});
