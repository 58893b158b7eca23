/**
 * In Chromium, the bundled demo deck's "tap back" slide: its own inline script uses
 * LiveDeck.subscribe / publish; three phones tap, the screen view and the console show the room's
 * total; the presenter's page publishes to every phone's subscribers; a phone publishing to a
 * topic the deck does not declare is refused in words.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const DEMO = fileURLToPath(new URL('../slides/', import.meta.url));
const SHOTS = '/tmp/qa-shots';
const WAIT = { timeout: 20_000 };

describe('in Chromium: topics for the deck’s own scripts', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let screen: Page;
  const phones: Page[] = [];
  const errors: string[] = [];
  let driver: TestClient;

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer({ deckPath: DEMO });
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    screen = await (await laptopContext(browser)).newPage();
    for (let i = 0; i < 3; i++) phones.push(await (await phoneContext(browser)).newPage());
    for (const p of [presenter, screen, ...phones]) errors.push(...watchErrors(p));
    await Promise.all([presenter.goto(server.urls.presenter), screen.goto(server.urls.screen), ...phones.map((p) => p.goto(server.urls.audience))]);
    for (const p of [presenter, ...phones]) await p.locator('.ld-status[data-status="connected"]').waitFor(WAIT);
    await screen.locator('body[data-status="connected"]').waitFor(WAIT);
    // A second presenter connection moves everyone to the tap slide in one step.
    const h = await phones[0]!.evaluate(() => [...document.querySelectorAll('.reveal .slides > section')].findIndex((s) => s.querySelector('.tap-total') !== null));
    assert.ok(h > 0, 'the demo deck has the tap slide');
    driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    driver.send({ type: 'goto', state: { indexh: h, indexv: 0, indexf: -1, paused: false, overview: false } });
    for (const p of [screen, ...phones]) await p.locator('.reveal .slides > section.present .tap-total').waitFor(WAIT);
  });

  after(async () => {
    driver?.close();
    await browser?.close();
    await server?.close();
  });

  it('adds up the taps of several phones and shows the total live on the screen view and the console', async () => {
    const button = (p: Page) => p.locator('.reveal .slides > section.present .tap-button');
    for (const p of phones) await button(p).waitFor({ state: 'visible', ...WAIT });
    assert.equal(await screen.locator('.reveal .slides > section.present .tap-button').isVisible(), false, 'the screen view shows no button');
    for (let round = 0; round < 3; round++) for (const p of phones) await button(p).click();
    await screen.locator('.reveal .slides > section.present .tap-total', { hasText: /^9$/ }).waitFor(WAIT);
    await presenter.locator('.ld-current .tap-total', { hasText: /^9$/ }).waitFor(WAIT);
    for (const p of phones) await p.locator('.reveal .slides > section.present .tap-total', { hasText: /^9$/ }).waitFor(WAIT);
    await screen.screenshot({ path: `${SHOTS}/screen-tap-demo.png` });
    await phones[0]!.screenshot({ path: `${SHOTS}/phone-tap-demo.png` });
  });

  it("gives a page that opens later the room's total at once", async () => {
    const late = await (await phoneContext(browser)).newPage();
    errors.push(...watchErrors(late));
    await late.goto(server.urls.audience);
    await late.locator('.reveal .slides > section.present .tap-total', { hasText: /^9$/ }).waitFor(WAIT);
    await late.context().close();
  });

  it("delivers what the presenter's page publishes to every phone's subscribers, as data", async () => {
    await Promise.all(
      phones.map((p) =>
        p.evaluate(() => {
          const w = window as unknown as { LiveDeck: { subscribe(t: string, fn: (d: unknown) => void): void }; got?: unknown[] };
          w.got = [];
          w.LiveDeck.subscribe('status', (data) => w.got!.push(data));
        }),
      ),
    );
    const payload = { step: 1, note: '<img src=x onerror="window.pwned=1">' };
    await presenter.evaluate((data) => (window as unknown as { LiveDeck: { publish(t: string, d: unknown): Promise<void> } }).LiveDeck.publish('status', data), payload);
    for (const p of phones) {
      await p.waitForFunction(() => ((window as unknown as { got?: unknown[] }).got ?? []).length > 0, undefined, WAIT);
      assert.deepEqual(await p.evaluate(() => (window as unknown as { got: unknown[] }).got[0]), payload);
      assert.equal(await p.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    }
  });

  it('refuses, in words, a phone publishing to a topic the deck does not declare, and the screen publishing at all', async () => {
    const phoneError = await phones[1]!.evaluate(() =>
      (window as unknown as { LiveDeck: { publish(t: string, d: unknown): Promise<void> } }).LiveDeck.publish('status', 'from a phone').then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    );
    assert.match(phoneError, /not declared for phones/);
    const screenError = await screen.evaluate(() =>
      (window as unknown as { LiveDeck: { publish(t: string, d: unknown): Promise<void> } }).LiveDeck.publish('taps', 1).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    );
    assert.match(screenError, /Only the presenter and phones publish/);
    const hello = await TestClient.connect(server.port);
    hello.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'screen', talk: server.code });
    assert.equal((await hello.next('topics')).topics.taps?.count, 9, 'neither refusal counted');
    hello.close();
    assert.deepEqual(errors, []);
  });
});
