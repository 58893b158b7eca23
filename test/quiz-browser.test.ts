import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const DECK = fileURLToPath(new URL('./fixtures/quiz-slow.md', import.meta.url));
/** Screenshots for people to look at. */
const SHOTS = '/tmp/quiz-shots/';
const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

describe('in Chromium: quizzes, rankings and several-word clouds with several phones', () => {
  let server: RunningServer;
  let browser: Browser;
  let screen: Page;
  let console_: Page;
  let phones: Page[];
  let driver: TestClient;
  const errors: string[] = [];

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer({ deckPath: DECK });
    browser = await launchBrowser();
    screen = await (await laptopContext(browser)).newPage();
    console_ = await (await laptopContext(browser)).newPage();
    phones = await Promise.all([0, 1, 2].map(async () => (await phoneContext(browser)).newPage()));
    for (const p of [screen, console_, ...phones]) errors.push(...watchErrors(p));
    await screen.goto(server.urls.screen);
    await console_.goto(server.urls.presenter);
    for (const p of phones) await p.goto(server.urls.audience);
    for (const p of [console_, ...phones]) await p.locator('.ld-status[data-status="connected"]').first().waitFor({ timeout: 20_000 });
    await screen.locator('body[data-status="connected"]').waitFor({ timeout: 20_000 });
    driver = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  });

  after(async () => {
    driver?.close();
    await browser?.close();
    await server?.close();
  });

  const card = (phone: Page, poll: string) => phone.locator(`.ld-poll-card[data-poll-id="${poll}"]`);
  const slot = (poll: string) => screen.locator(`.reveal .ld-poll[data-poll-id="${poll}"]`);

  async function openOn(slide: number, poll: string): Promise<void> {
    driver.send({ type: 'goto', state: at(slide) });
    await waitForPosition(screen, { h: slide, v: 0, fragments: 0 });
    driver.send({ type: 'openPoll', poll });
    for (const p of phones) await card(p, poll).waitFor({ timeout: 15_000 });
  }

  it('plays a quiz of three questions: nicknames, countdown, right or wrong on each phone, a leaderboard after each question and a podium at the end', async () => {
    await openOn(1, 'q1');
    await slot('q1').locator('[data-ld-countdown="q1"]').waitFor();
    const names = ['Ann', 'Bob', '<i>Cy</i>'];
    for (const [i, phone] of phones.entries()) {
      await card(phone, 'q1').locator('input.ld-quiz-name').fill(names[i]!);
      await card(phone, 'q1').locator('button', { hasText: 'Play' }).tap();
      await card(phone, 'q1').locator('.ld-ballot-option').first().waitFor();
    }
    const left = await waitFor(() => phones[0]!.locator('[data-ld-countdown="q1"]').textContent(), (t) => /^\d+ s$/.test(t ?? ''), 'countdown on the phone');
    assert.ok(Number.parseInt(left!, 10) <= 120);
    await phones[0]!.screenshot({ path: `${SHOTS}phone-quiz-question.png` });
    // Ann and Bob right, Cy wrong.
    await card(phones[0]!, 'q1').locator('.ld-ballot-option', { hasText: 'wss://' }).tap();
    await card(phones[0]!, 'q1').locator('.ld-quiz-locked').waitFor();
    await card(phones[1]!, 'q1').locator('.ld-ballot-option', { hasText: 'wss://' }).tap();
    await card(phones[2]!, 'q1').locator('.ld-ballot-option', { hasText: 'ftp://' }).tap();
    for (const p of phones) await card(p, 'q1').locator('.ld-quiz-locked').waitFor();
    await waitFor(() => console_.locator('.ld-poll-row[data-poll-id="q1"] .ld-bar-row').count(), (n) => n === 3, 'console counts');
    driver.send({ type: 'closePoll', poll: 'q1' });

    const leaders = () => slot('q1').locator('.ld-leader-name').allTextContents();
    assert.deepEqual(await waitFor(leaders, (l) => l.length === 3, 'leaderboard on the screen'), names);
    await slot('q1').locator('.ld-bar-correct', { hasText: 'wss://' }).waitFor();
    assert.match((await card(phones[0]!, 'q1').locator('.ld-quiz-verdict').textContent()) ?? '', /^Right! \+\d+ points$/);
    await waitFor(() => card(phones[2]!, 'q1').locator('.ld-quiz-verdict').textContent(), (t) => t === 'Not this time: 0 points', 'wrong on phone 3');
    assert.match((await card(phones[2]!, 'q1').locator('.ld-quiz-score').textContent()) ?? '', /^<i>Cy<\/i>: 0 points · rank 3 of 3$/);
    await screen.waitForTimeout(300);
    await screen.screenshot({ path: `${SHOTS}screen-leaderboard.png` });
    await phones[0]!.screenshot({ path: `${SHOTS}phone-quiz-right.png` });
    await phones[2]!.screenshot({ path: `${SHOTS}phone-quiz-wrong.png` });

    // Question 2 has two right options: Ann picks both, Bob one, Cy both. Nicknames are not asked again.
    await openOn(2, 'q2');
    const pick = async (phone: Page, options: string[]) => {
      for (const o of options) await card(phone, 'q2').locator('.ld-ballot-option', { hasText: o }).tap();
      await card(phone, 'q2').locator('.ld-quiz-submit').tap();
      await card(phone, 'q2').locator('.ld-quiz-locked').waitFor();
    };
    await pick(phones[0]!, ['WebSocket', 'Server-sent events']);
    await pick(phones[1]!, ['WebSocket']);
    await pick(phones[2]!, ['WebSocket', 'Server-sent events']);
    driver.send({ type: 'closePoll', poll: 'q2' });
    // Bob and Cy are one right answer each behind Ann; which of them leads is down to milliseconds.
    await waitFor(() => slot('q2').locator('.ld-leader-name').allTextContents(), (l) => l.length === 3 && l[0] === 'Ann', 'leaderboard after question 2');
    assert.match((await slot('q2').locator('.ld-quiz-board-title').textContent()) ?? '', /after question 2 of 3/);

    // Question 3: Ann and Bob right, Cy wrong.
    await openOn(3, 'q3');
    for (const [i, p] of phones.entries()) {
      await card(p, 'q3').locator('.ld-ballot-option', { hasText: i === 2 ? '426' : '101' }).tap();
      await card(p, 'q3').locator('.ld-quiz-locked').waitFor();
    }
    driver.send({ type: 'closePoll', poll: 'q3' });
    const podium = slot('q3').locator('.ld-podium');
    await podium.waitFor({ timeout: 15_000 });
    assert.equal(await podium.locator('.ld-podium-1 .ld-podium-name').first().textContent(), 'Ann');
    assert.equal(await podium.locator('.ld-podium-2 .ld-podium-name').textContent(), 'Bob');
    assert.equal(await podium.locator('.ld-podium-3 .ld-podium-name').textContent(), '<i>Cy</i>');
    assert.equal(await screen.locator('.ld-poll i, .ld-poll-card i').count(), 0, 'a nickname is text, never markup');
    await screen.waitForTimeout(300);
    await screen.screenshot({ path: `${SHOTS}screen-podium.png` });
    await console_.screenshot({ path: `${SHOTS}console-quiz.png` });
  });

  it('takes a ranking reordered by tap, by drag and by arrow on three phones, and charts points and average rank', async () => {
    await openOn(4, 'rank');
    const labels = (phone: Page) => card(phone, 'rank').locator('.ld-rank-label').allTextContents();
    // Phone 1, by tap: Long polling, then first place.
    await card(phones[0]!, 'rank').locator('.ld-rank-label', { hasText: 'Long polling' }).tap();
    await card(phones[0]!, 'rank').locator('.ld-rank-item.ld-picked').waitFor();
    await card(phones[0]!, 'rank').locator('.ld-rank-label', { hasText: 'WebSockets' }).tap();
    assert.deepEqual(await labels(phones[0]!), ['1. Long polling', '2. WebSockets', '3. Server-sent events']);
    // Phone 2, by dragging Server-sent events' handle onto first place.
    const phone = phones[1]!;
    const handle = card(phone, 'rank').locator('.ld-rank-item[data-index="1"] .ld-rank-handle');
    const target = card(phone, 'rank').locator('.ld-rank-item[data-place="0"]');
    const from = (await handle.boundingBox())!;
    const to = (await target.boundingBox())!;
    await phone.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await phone.mouse.down();
    await phone.mouse.move(from.x + from.width / 2, to.y + to.height / 2 - 4, { steps: 6 });
    await phone.mouse.up();
    assert.deepEqual(await labels(phone), ['1. Server-sent events', '2. WebSockets', '3. Long polling']);
    // Phone 3, by the down arrow on WebSockets.
    await card(phones[2]!, 'rank').locator('.ld-rank-item[data-index="0"] .ld-rank-move').nth(1).tap();
    assert.deepEqual(await labels(phones[2]!), ['1. Server-sent events', '2. WebSockets', '3. Long polling']);
    await phones[0]!.screenshot({ path: `${SHOTS}phone-ranking.png` });
    for (const p of phones) await card(p, 'rank').locator('.ld-rank-send').tap();

    // Borda: SSE 0+2+2 = 4, WebSockets 1+1+1 = 3, Long polling 2+0+0 = 2.
    const bars = () => slot('rank').locator('.ld-bars-ranking .ld-bar-row').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.index}:${(r as HTMLElement).dataset.points}`));
    assert.deepEqual(await waitFor(bars, (b) => b.join() === '1:4,0:3,2:2', 'ranking chart on the screen'), ['1:4', '0:3', '2:2']);
    assert.deepEqual(await slot('rank').locator('.ld-bar-pct').allTextContents(), ['#1.7', '#2.0', '#2.3']);
    await waitFor(() => console_.locator('.ld-poll-row[data-poll-id="rank"] .ld-bars-ranking .ld-bar-row').count(), (n) => n === 3, 'ranking chart on the console');
    await screen.waitForTimeout(300);
    await screen.screenshot({ path: `${SHOTS}screen-ranking.png` });
    await console_.screenshot({ path: `${SHOTS}console-ranking.png` });
  });

  it('takes several words from each phone into one cloud, normalised, with denied words never shown', async () => {
    await openOn(5, 'words3');
    const words = [['Fast', 'live', 'darn'], ['FAST  ', 'open'], ['fast']];
    for (const [i, phone] of phones.entries()) {
      const inputs = card(phone, 'words3').locator('input.ld-word-input');
      assert.equal(await inputs.count(), 3);
      for (const [j, word] of words[i]!.entries()) await inputs.nth(j).fill(word);
      await card(phone, 'words3').locator('.ld-ballot-send').tap();
    }
    const cloud = () => slot('words3').locator('.ld-word').evaluateAll((ws) => ws.map((w) => `${w.textContent}:${(w as HTMLElement).dataset.count}`));
    assert.deepEqual(await waitFor(cloud, (c) => c.join() === 'fast:3,live:1,open:1', 'the cloud on the screen'), ['fast:3', 'live:1', 'open:1']);
    for (const page of [screen, console_, ...phones]) assert.equal(((await page.locator('.ld-cloud').allTextContents()).join(' ')).includes('darn'), false);
    await screen.waitForTimeout(300);
    await screen.screenshot({ path: `${SHOTS}screen-words.png` });
    assert.deepEqual(errors, []);
  });
});
