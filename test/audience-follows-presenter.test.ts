import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { joinRoom, launchBrowser, laptopContext, newRoomPages, watchErrors } from './support/browser.ts';
import { deckPosition, waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

/** The console holds two decks (current and upcoming); the current one is the first. */
const CURRENT = '.ld-current .reveal';

describe('in Chromium: the audience follows the presenter', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let phone: Page;
  let screen: Page;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const pages = await newRoomPages(browser);
    ({ presenter, phone, screen } = pages);
    for (const p of [presenter, phone, screen]) errors.push(...watchErrors(p));
    await joinRoom(pages, server.urls);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('moves the phone and the screen to the slide and fragment the presenter shows', async () => {
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 });
    await presenter.keyboard.press('PageDown');
    await presenter.keyboard.press('Space');
    await waitForPosition(presenter, { h: 1, v: 0, fragments: 2 }, CURRENT);
    await waitForPosition(phone, { h: 1, v: 0, fragments: 2 });
    await waitForPosition(screen, { h: 1, v: 0, fragments: 2 });
    await presenter.keyboard.press('ArrowRight');
    await presenter.keyboard.press('ArrowDown');
    await waitForPosition(phone, { h: 2, v: 1, fragments: 0 });
    await waitForPosition(screen, { h: 2, v: 1, fragments: 0 });
  });

  it('shows the speaker notes of the current slide on the console', async () => {
    await assert.doesNotReject(presenter.locator('.ld-notes-text', { hasText: 'Vertical notes.' }).waitFor());
  });

  it('lets a phone browse on its own and come back to live in one tap', async () => {
    const backToLive = phone.locator('.ld-back');
    assert.equal(await backToLive.isVisible(), false);
    await phone.keyboard.press('ArrowLeft');
    await waitForPosition(phone, { h: 1, v: 0, fragments: 2 });
    await backToLive.waitFor({ state: 'visible' });
    // The presenter keeps going; the browsing phone stays where its owner is.
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(screen, { h: 3, v: 0, fragments: 0 });
    await phone.locator('.ld-back', { hasText: 'slide 4' }).waitFor();
    assert.deepEqual(await deckPosition(phone), { h: 1, v: 0, fragments: 2 });
    await backToLive.tap();
    await waitForPosition(phone, { h: 3, v: 0, fragments: 0 });
    await backToLive.waitFor({ state: 'hidden' });
  });

  it('never leaves phones on a wrong slide after a held-down clicker and overview toggles', async () => {
    for (let i = 0; i < 12; i++) await presenter.keyboard.press('PageUp', { delay: 0 });
    await presenter.keyboard.press('o');
    await presenter.keyboard.press('o');
    for (let i = 0; i < 5; i++) await presenter.keyboard.press('PageDown', { delay: 0 });
    const target = await deckPosition(presenter, CURRENT);
    assert.ok(target);
    await waitForPosition(phone, target);
    await waitForPosition(screen, target);
    assert.equal(await phone.locator('.reveal.overview').count(), 0, 'the phone left the overview with the presenter');
  });

  it('gives the phone no way to move anyone else', async () => {
    assert.equal(await phone.locator('.ld-nav, .ld-timer, .ld-notes').count(), 0, 'no console controls on the audience page');
    const before = await deckPosition(screen);
    await phone.keyboard.press('ArrowLeft');
    await phone.keyboard.press('ArrowLeft');
    await phone.waitForTimeout(400);
    assert.deepEqual(await deckPosition(screen), before, 'the screen did not move');
    assert.deepEqual(await deckPosition(presenter, CURRENT), before, 'the console did not move');
  });

  it('tells someone with a wrong or missing presenter key, and moves nobody', async () => {
    const before = await deckPosition(screen);
    const intruder = await (await laptopContext(browser)).newPage();
    await intruder.goto(server.urls.presenter.replace(/#key=.*/, '#key=guessed-key-guessed-key-guessed-key'));
    await intruder.locator('.ld-banner', { hasText: 'not valid for this talk' }).waitFor();
    await intruder.keyboard.press('ArrowRight');
    await intruder.goto(server.urls.presenter.replace(/#key=.*/, ''));
    await intruder.reload();
    await intruder.locator('.ld-banner', { hasText: 'needs the Presenter link' }).waitFor();
    await intruder.waitForTimeout(300);
    assert.deepEqual(await deckPosition(screen), before, 'the screen did not move');
    await intruder.close();
  });

  it('ran without page errors', () => {
    assert.deepEqual(errors, []);
  });
});
