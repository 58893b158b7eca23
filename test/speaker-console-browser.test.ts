import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const DECK = fileURLToPath(new URL('./fixtures/speaker.md', import.meta.url));
/** Screenshots for people to look at, outside the repository. */
const SHOTS = '/tmp/speaker-shots';
const LONG = 'Could you say more about how the server decides which messages a phone missed while it was away, and what happens when the buffer no longer covers the gap because the phone was gone for several minutes in a tunnel? ';

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Seconds shown by a page's talk timer ("01:05" → 65). */
async function timerSeconds(page: Page): Promise<number> {
  const text = (await page.locator('.ld-timer-text').first().textContent()) ?? '';
  const [m, s] = text.split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
}

/** What a person would have to scroll to see: the page itself, and console parts outside the window. */
async function overflow(page: Page): Promise<{ pageScrolls: boolean; outside: string[]; hiddenActions: number }> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const scroller = document.scrollingElement!;
    const outside: string[] = [];
    for (const sel of ['.ld-current', '.ld-upcoming', '.ld-notes', '.ld-timer', '.ld-sx', '.ld-poll-row[data-status="open"]', '.ld-footer', '.ld-toolbar']) {
      const node = document.querySelector(sel);
      const r = node?.getBoundingClientRect();
      if (!r || r.height < 10 || r.top < 0 || r.left < 0 || r.bottom > vh + 1 || r.right > vw + 1) outside.push(sel);
    }
    // Each question's buttons sit within its own item, which is never taller than the list shows.
    const list = document.querySelector('.ld-sx-list')!.getBoundingClientRect();
    let hiddenActions = 0;
    for (const q of document.querySelectorAll('.ld-sx-q')) {
      const item = q.getBoundingClientRect();
      const actions = q.querySelector('.ld-sx-actions')?.getBoundingClientRect();
      if (!actions || actions.height === 0 || actions.bottom > item.bottom + 1 || item.height > list.height) hiddenActions++;
    }
    return { pageScrolls: scroller.scrollHeight > vh + 1 || scroller.scrollWidth > vw + 1, outside, hiddenActions };
  });
}

describe('in Chromium: the speaker console and a phone remote', () => {
  let server: RunningServer;
  let browser: Browser;
  let laptop: BrowserContext;
  let consolePage: Page;
  let remotePage: Page;
  let follower: TestClient;
  const clients: TestClient[] = [];
  const errors: string[] = [];

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer({ deckPath: DECK });
    browser = await launchBrowser();
    laptop = await laptopContext(browser, { viewport: { width: 1280, height: 720 } });
    consolePage = await laptop.newPage();
    errors.push(...watchErrors(consolePage));
    await consolePage.goto(server.urls.presenter);
    await consolePage.locator('.ld-status[data-status="connected"]').first().waitFor();
    follower = await TestClient.join(server.port, server.code, 'audience');
    clients.push(follower);
  });

  after(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await server?.close();
  });

  it('runs one server-held timer with pacing, which the console shows after a reload', async () => {
    await consolePage.locator('.ld-timer-toggle').click();
    await waitFor(() => timerSeconds(consolePage), (s) => s >= 2, 'console timer counting');
    assert.match((await consolePage.locator('.ld-time-left').textContent()) ?? '', /left$/);
    assert.match((await consolePage.locator('.ld-pacing').textContent()) ?? '', /^(Ahead|On time|Behind) · /);
    await consolePage.reload();
    await consolePage.locator('.ld-status[data-status="connected"]').first().waitFor();
    // Before the fix the timer lived in localStorage; now the reloaded console reads the server's.
    assert.ok((await waitFor(() => timerSeconds(consolePage), (s) => s >= 2, 'timer after reload')) >= 2);
    assert.equal(await consolePage.locator('.ld-timer-toggle').textContent(), 'Pause');
  });

  it('pairs a phone from the console\'s QR code; the phone moves the deck and shows the same timer', async () => {
    await consolePage.locator('.ld-remote-open').click();
    const qr = consolePage.locator('.ld-remote-qr svg');
    await qr.waitFor();
    const url = await consolePage.locator('.ld-remote-qr').getAttribute('data-url');
    assert.ok(url?.includes(`/remote/${server.code}#pair=`), String(url));
    await consolePage.screenshot({ path: `${SHOTS}/pairing-dialog-1280x720.png` });

    const phone = await phoneContext(browser);
    remotePage = await phone.newPage();
    errors.push(...watchErrors(remotePage));
    const requested: string[] = [];
    remotePage.on('request', (r) => requested.push(r.url()));
    await remotePage.goto(url!);
    await remotePage.locator('.ld-status[data-status="connected"]').waitFor();
    assert.equal(await remotePage.evaluate(() => location.hash), '', 'the token leaves the address bar');
    const token = new URL(url!).hash.slice('#pair='.length);
    assert.ok(!requested.some((u) => u.includes(token)), 'the token is never in a URL sent to the server');
    await consolePage.locator('.ld-remote-device').waitFor();
    assert.equal(await consolePage.locator('.ld-remote-device').count(), 1);

    const consoleTime = await timerSeconds(consolePage);
    const phoneTime = await waitFor(() => timerSeconds(remotePage), (s) => s > 0, 'phone timer');
    assert.ok(Math.abs(consoleTime - phoneTime) <= 2, `console ${consoleTime} s, phone ${phoneTime} s`);

    await remotePage.locator('.ld-remote-next').click();
    const moved = await follower.next('deck', 10_000);
    assert.deepEqual([moved.state.indexh, moved.state.indexv], [1, 0]);
    await waitFor(() => remotePage.locator('.ld-remote-title').textContent(), (t) => t === 'The protocol', 'remote title');
    assert.match((await remotePage.locator('.ld-remote-notes').textContent()) ?? '', /Two minutes here/);
    await waitFor(() => consolePage.locator('.ld-position').textContent(), (t) => (t ?? '').startsWith('Slide 2'), 'console follows the phone');
    await remotePage.screenshot({ path: `${SHOTS}/phone-remote.png` });

    // The same code scanned again pairs nothing.
    const other = await (await phoneContext(browser)).newPage();
    await other.goto(url!);
    await other.locator('.ld-remote-message').waitFor();
    assert.match((await other.locator('.ld-remote-message').textContent()) ?? '', /already used or has expired/);
    assert.equal(await consolePage.locator('.ld-remote-device').count(), 1);
    await other.context().close();
    await consolePage.locator('.ld-remote-close').click();
  });

  it('never shows a pairing code on the projector', async () => {
    const screen = await (await laptopContext(browser)).newPage();
    await screen.goto(server.urls.screen);
    await screen.locator('body[data-status="connected"]').waitFor();
    assert.equal(await screen.locator('.ld-remote-dialog, .ld-remote-qr, .ld-remote-open').count(), 0);
    await screen.context().close();
  });

  it('fits current and next slide, notes, timer, a long question list and an open poll on one screen, in both layouts', async () => {
    for (let p = 0; p < 4; p++) {
      const asker = await TestClient.connect(server.port);
      clients.push(asker);
      asker.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: `asker-${p}-0000` });
      await asker.next('welcome');
      for (let q = 0; q < 3; q++) {
        asker.send({ type: 'ask', key: `q-${p}-${q}`, text: (q === 0 && p === 0 ? LONG.repeat(2) : `Question ${p}.${q}: ${LONG}`).slice(0, 280), slide: { indexh: 1, indexv: 0, indexf: -1 } });
        await asker.next('ack');
      }
    }
    const driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    clients.push(driver);
    driver.send({ type: 'openPoll', poll: 'transport' });
    await waitFor(() => consolePage.locator('.ld-sx-q').count(), (n) => n >= 12, 'questions on the console');
    await consolePage.locator('.ld-poll-row[data-status="open"]').waitFor();

    for (const size of [{ width: 1280, height: 720 }, { width: 1440, height: 900 }]) {
      await consolePage.setViewportSize(size);
      for (const layout of ['slides', 'notes']) {
        if ((await consolePage.locator('.ld-console').getAttribute('data-layout')) !== layout) await consolePage.locator('.ld-layout-switch').click();
        await consolePage.waitForTimeout(300);
        const seen = await overflow(consolePage);
        await consolePage.screenshot({ path: `${SHOTS}/console-${size.width}x${size.height}-${layout}.png` });
        assert.deepEqual(seen, { pageScrolls: false, outside: [], hiddenActions: 0 }, `${size.width}×${size.height}, ${layout} layout`);
      }
    }
    // The layout is remembered across a reload.
    await consolePage.reload();
    await consolePage.locator('.ld-status[data-status="connected"]').first().waitFor();
    assert.equal(await consolePage.locator('.ld-console').getAttribute('data-layout'), 'notes');
  });

  it('shows that the talk ends as the last slide\'s next', async () => {
    const driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    clients.push(driver);
    driver.send({ type: 'goto', state: { indexh: 3, indexv: 0, indexf: -1, paused: false, overview: false } });
    await consolePage.locator('.ld-upcoming-end:not([hidden])').waitFor();
    assert.equal(await consolePage.locator('.ld-upcoming-end').textContent(), 'End of talk');
    driver.send({ type: 'goto', state: { indexh: 2, indexv: 0, indexf: -1, paused: false, overview: false } });
    await consolePage.locator('.ld-upcoming-end[hidden]').waitFor({ state: 'attached' });
  });

  it('stops a phone at once when the console unpairs it', async () => {
    await consolePage.locator('.ld-remote-open').click();
    await consolePage.locator('.ld-remote-revoke').click();
    await remotePage.locator('.ld-remote-message').waitFor();
    assert.match((await remotePage.locator('.ld-remote-message').textContent()) ?? '', /unpaired|no longer paired/);
    assert.equal(await remotePage.locator('.ld-remote-next').isDisabled(), true);
    await consolePage.locator('.ld-remote-none').waitFor();
    assert.deepEqual(errors, []);
  });
});
