import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
/** Screenshots for people to look at; scratch/ is not part of the product. */
const SHOTS = fileURLToPath(new URL('../scratch/polls/', import.meta.url));
const at = (indexh: number, indexv = 0): DeckState => ({ indexh, indexv, indexf: -1, paused: false, overview: false });
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

/** The bar counts a page shows for a poll inside its slide placeholder. */
function slideCounts(page: Page, poll: string): Promise<number[]> {
  return page.$$eval(`.reveal .ld-poll[data-poll-id="${poll}"] .ld-bar-row`, (rows) => rows.map((r) => Number((r as HTMLElement).dataset.count)));
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

describe('in Chromium: live polls', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let screen: Page;
  let phones: Page[];
  let driver: TestClient;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ deckPath: POLL_DECK });
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    screen = await (await laptopContext(browser)).newPage();
    // Separate contexts: separate localStorage, so separate participants.
    phones = await Promise.all([0, 1, 2].map(async () => (await phoneContext(browser)).newPage()));
    for (const p of [presenter, screen, ...phones]) errors.push(...watchErrors(p));
    await presenter.goto(server.urls.presenter);
    await screen.goto(server.urls.screen);
    for (const p of phones) await p.goto(server.urls.audience);
    for (const p of [presenter, ...phones]) await p.locator('.ld-status[data-status="connected"]').first().waitFor();
    await screen.locator('body[data-status="connected"]').waitFor();
    driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  });

  after(async () => {
    driver?.close();
    await browser?.close();
    await server?.close();
  });

  it('is opened from the console, voted on from three phones, and charted on the screen', async () => {
    driver.send({ type: 'goto', state: at(1) });
    await waitForPosition(screen, { h: 1, v: 0, fragments: 0 });
    await presenter.locator('.ld-poll-action[data-poll-id="transport"]').click();
    for (const p of phones) await p.locator('.ld-poll-card[data-poll-id="transport"]').waitFor();

    // Phones 0 and 1 pick WebSockets, phone 2 picks Polling then changes its mind to WebSockets... then back.
    await phones[0]!.locator('.ld-ballot-option', { hasText: 'WebSockets' }).tap();
    await phones[1]!.locator('.ld-ballot-option', { hasText: 'WebSockets' }).tap();
    await phones[2]!.locator('.ld-ballot-option', { hasText: 'WebSockets' }).tap();
    await phones[2]!.locator('.ld-ballot-option', { hasText: /^Polling/ }).tap();

    const counts = await waitFor(() => slideCounts(screen, 'transport'), (c) => c.join() === '1,0,2', 'screen chart');
    assert.deepEqual(counts, [1, 0, 2]);
    await waitFor(() => slideCounts(phones[0]!, 'transport'), (c) => c.join() === '1,0,2', 'phone chart');
    await presenter.locator('.ld-poll-row[data-poll-id="transport"] .ld-bar-row[data-count="2"]').waitFor();
    assert.equal(await phones[2]!.locator('.ld-ballot-option.ld-chosen').textContent(), 'Polling');

    await screen.waitForTimeout(400);
    await screen.screenshot({ path: `${SHOTS}screen-bars.png` });
    await presenter.screenshot({ path: `${SHOTS}console.png` });
    await phones[2]!.screenshot({ path: `${SHOTS}phone-bars.png` });
  });

  it('shows open-text answers and words literally, running nothing', async () => {
    driver.send({ type: 'goto', state: at(4) });
    driver.send({ type: 'openPoll', poll: 'open' });
    await waitForPosition(screen, { h: 4, v: 0, fragments: 0 });
    const phone = phones[0]!;
    await phone.locator('.ld-poll-card[data-poll-id="open"] textarea').fill(XSS);
    await phone.locator('.ld-poll-card[data-poll-id="open"] .ld-ballot-send').tap();
    const shown = screen.locator('.reveal .ld-poll[data-poll-id="open"] .ld-answers li').first();
    await shown.waitFor();
    assert.equal(await shown.textContent(), XSS);
    await phone.screenshot({ path: `${SHOTS}phone-text.png` });

    driver.send({ type: 'goto', state: at(3) });
    await waitForPosition(screen, { h: 3, v: 0, fragments: 0 });
    await phones[1]!.locator('.ld-poll-card[data-poll-id="word"] input').waitFor();
    for (const [i, word] of ['realtime', 'Realtime', '<b>bold</b>'].entries()) {
      await phones[i]!.locator('.ld-poll-card[data-poll-id="word"] input').fill(word);
      await phones[i]!.locator('.ld-poll-card[data-poll-id="word"] .ld-ballot-send').tap();
    }
    const big = screen.locator('.reveal .ld-poll[data-poll-id="word"] .ld-word[data-count="2"]');
    await big.waitFor();
    assert.equal((await big.textContent())?.toLowerCase(), 'realtime');
    await screen.locator('.reveal .ld-poll[data-poll-id="word"] .ld-word', { hasText: '<b>bold</b>' }).waitFor();
    await screen.waitForTimeout(400);
    await screen.screenshot({ path: `${SHOTS}screen-words.png` });

    for (const page of [screen, presenter, ...phones]) {
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
      assert.equal(await page.locator('.ld-poll img, .ld-poll b, .ld-poll-row img, .ld-poll-card img').count(), 0);
    }
  });

  it('puts a poll created live from the console on the phones and as a card on the screen', async () => {
    await presenter.locator('.ld-new-poll-box summary').click();
    await presenter.locator('.ld-new-type').selectOption('single');
    await presenter.locator('.ld-new-question').fill('Coffee or tea?');
    await presenter.locator('.ld-new-options').fill('Coffee\nTea');
    await presenter.locator('.ld-new-poll button[type="submit"]').click();
    const card = screen.locator('.ld-live-poll:not([hidden])');
    await card.locator('.ld-poll-question', { hasText: 'Coffee or tea?' }).waitFor();
    const phoneCard = phones[0]!.locator('.ld-poll-card', { hasText: 'Coffee or tea?' });
    await phoneCard.locator('.ld-ballot-option', { hasText: 'Tea' }).tap();
    await card.locator('.ld-bar-row[data-count="1"]', { hasText: 'Tea' }).waitFor();
    await screen.screenshot({ path: `${SHOTS}screen-live-poll.png` });
    const id = await card.getAttribute('data-poll-id');
    await presenter.locator(`.ld-poll-action[data-poll-id="${id}"]`).click();
    await screen.locator('.ld-live-poll[hidden]').waitFor({ state: 'attached' });
  });

  it('floats reactions on the screen and moves the console pace gauge', async () => {
    const phone = phones[1]!;
    await phone.locator('.ld-tray-toggle').tap();
    await phone.locator('.ld-react[data-reaction="clap"]').tap();
    await screen.locator('.ld-float[data-reaction="clap"]').first().waitFor();
    await screen.screenshot({ path: `${SHOTS}screen-reaction.png` });
    await phone.locator('.ld-pace[data-signal="slow"]').tap();
    await waitFor(() => presenter.locator('.ld-gauge').getAttribute('data-slow'), (v) => Number(v) > 0.9, 'pace gauge', 4000);
    await phone.screenshot({ path: `${SHOTS}phone-tray.png` });
    await presenter.screenshot({ path: `${SHOTS}console-pace.png` });
    assert.deepEqual(errors, []);
  });
});
