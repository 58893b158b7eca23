/**
 * A phone that reloads the audience page with no network still shows the deck on the last slide
 * it saw (service worker + localStorage, client/phone/), and follows the presenter again once the
 * network is back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const PHONE_DECK = fileURLToPath(new URL('./fixtures/phone.md', import.meta.url));
const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

describe('in Chromium: the audience page with no network', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: TestClient;

  before(async () => {
    server = await startTestServer({ deckPath: PHONE_DECK });
    browser = await launchBrowser();
    presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  });

  after(async () => {
    presenter?.close();
    await browser?.close();
    await server?.close();
  });

  it('opens on the deck at the last slide it saw when reloaded offline, and resyncs to the presenter when back online', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    presenter.send({ type: 'goto', state: at(1) });
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    await page.locator('.reveal .slides > section.present h2', { hasText: 'Pick one' }).waitFor();
    // Everything the first visit loaded is kept by the service worker.
    await page.locator('body[data-offline="ready"]').waitFor({ timeout: 20_000 });

    await context.setOffline(true);
    // Meanwhile the talk moves on: the phone cannot know until it is back.
    presenter.send({ type: 'goto', state: at(2) });
    await page.reload();
    await page.locator('.reveal.ready').waitFor({ timeout: 20_000 });
    const present = page.locator('.reveal .slides > section.present h2');
    assert.equal((await present.textContent())?.trim(), 'Pick one', 'the last slide it saw, not slide 1');
    assert.equal(await page.locator('.reveal .slides > section').count(), 3, 'the whole deck');
    assert.notEqual(await page.locator('.ld-status').getAttribute('data-status'), 'connected');

    await context.setOffline(false);
    await page.locator('.ld-status[data-status="connected"]').waitFor({ timeout: 20_000 });
    await page.locator('.reveal .slides > section.present h2', { hasText: 'Rate it out of ten' }).waitFor();
    await context.close();
    assert.deepEqual(errors, []);
  });

  it('serves the page from the network while there is one, so a changed deck is never hidden by the cache', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.urls.audience);
    await page.locator('body[data-offline="ready"]').waitFor({ timeout: 20_000 });
    // As if the kept copy were of the deck before the speaker changed it.
    await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          if (new URL(request.url).pathname.startsWith('/j/')) {
            await cache.put(request, new Response('<!doctype html><title>stale</title><p class="stale">an old deck</p>', { headers: { 'content-type': 'text/html' } }));
          }
        }
      }
    });
    await page.reload();
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    assert.equal(await page.title(), 'Phone page test deck');
    assert.equal(await page.locator('.stale').count(), 0);
    await context.close();
    assert.deepEqual(errors, []);
  });
});
