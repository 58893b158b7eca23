import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { Reaction } from '../protocol/polls.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
/** Screenshots land here when LIVEDECK_SHOTS is set (for looking at the page, not asserted). */
const SHOTS = process.env.LIVEDECK_SHOTS;
const on = (indexh: number, indexv = 0, paused = false): DeckState => ({ indexh, indexv, indexf: -1, paused, overview: false });

async function phone(server: RunningServer, participant: string): Promise<TestClient> {
  const client = await TestClient.connect(server.port);
  client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
  await client.next('welcome');
  return client;
}

/** A small demo talk over real WebSockets: a room filling up and thinning out, questions, reactions, pace and three polls. */
async function demoTalk(server: RunningServer): Promise<void> {
  const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  const room: TestClient[] = [];
  const join = async (n: number) => {
    for (let i = 0; i < n; i++) room.push(await phone(server, `p${room.length}`));
    await sleep(60);
  };
  const move = async (state: DeckState, stay: number) => {
    presenter.send({ type: 'goto', state });
    await presenter.next('deck');
    await sleep(stay);
  };
  const opened = async (poll: string) => {
    for (;;) {
      const { view } = await presenter.next('poll');
      if (view.poll.id === poll && view.status === 'open') return;
    }
  };
  const send = async (client: TestClient, message: Parameters<TestClient['send']>[0]) => {
    client.send(message);
    await client.next('ack');
  };
  await join(4);
  await move(on(0), 150);
  await join(8);
  await move(on(1), 400);
  const questions = [
    ['Does it work through a corporate proxy?', 'Ann', 1, 7, true],
    ['How many phones can one laptop serve?', null, 1, 4, false],
    ['Is there a Redis adapter? <img src=x onerror=alert(1)>', '<b>Bo</b>', 2, 2, false],
    ['Can phones browse back on their own?', 'Cy', 3, 5, true],
  ] as const;
  for (const [text, name, h, votes, answered] of questions) {
    const asker = room[votes]!;
    asker.send({ type: 'ask', key: `q-${votes}`, text, ...(name ? { name } : {}), slide: { indexh: h, indexv: 0, indexf: -1 } });
    let { question } = await asker.next('question');
    // Earlier questions were broadcast to this phone too: find its own.
    while (question.text !== text) ({ question } = await asker.next('question'));
    for (let i = 0; i < votes; i++) await send(room[i]!, { type: 'upvote', key: `v-${votes}-${i}`, question: question.id, on: true });
    if (answered) presenter.send({ type: 'moderate', question: question.id, action: 'answer' });
  }
  const react = (counts: Partial<Record<Reaction, number>>) => {
    let i = 0;
    for (const [reaction, n] of Object.entries(counts)) for (let k = 0; k < n; k++) room[i++ % room.length]!.send({ type: 'react', reaction: reaction as Reaction });
  };
  react({ like: 6, love: 3, clap: 2 });
  presenter.send({ type: 'openPoll', poll: 'transport' });
  await opened('transport');
  for (const [i, p] of room.entries()) await send(p, { type: 'ballot', poll: 'transport', key: `t${i}`, value: { choices: [[2, 2, 0, 1, 2][i % 5]!] } });
  await move(on(2), 250);
  react({ wow: 4, laugh: 1 });
  for (const p of room.slice(0, 5)) p.send({ type: 'pace', signal: 'fast' });
  presenter.send({ type: 'openPoll', poll: 'tools' });
  await opened('tools');
  for (const [i, p] of room.entries()) await send(p, { type: 'ballot', poll: 'tools', key: `s${i}`, value: { choices: i % 3 === 0 ? [0, 1] : [0] } });
  await move(on(2, 0, true), 200);
  await move(on(2), 100);
  await move(on(3), 300);
  // This poll opens itself when its slide is shown.
  await opened('word');
  const words = ['fast', 'realtime', 'fast', 'sockets', 'push', 'fast', 'realtime', 'duplex', 'live', 'push', 'fast', 'simple'];
  for (const [i, p] of room.entries()) await send(p, { type: 'ballot', poll: 'word', key: `w${i}`, value: { text: words[i % words.length]! } });
  for (const p of room.splice(8)) p.close();
  await sleep(60);
  await move(on(3, 1), 200);
  for (const p of room.slice(0, 2)) p.send({ type: 'pace', signal: 'slow' });
  await move(on(4), 150);
  // Until the recorder's tallies and the last presence sample are in the log.
  await sleep(300);
  for (const c of [presenter, ...room]) c.close();
  await sleep(100);
}

/** Pages in a PDF: its page objects (not the /Pages tree). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;

describe('in Chromium: the report page after a demo talk', () => {
  let server: RunningServer;
  let browser: Browser;
  let report: Page;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ deckPath: POLL_DECK, report: { checkMs: 20, minGapMs: 0, heartbeatMs: 60_000, tallyMs: 40 } });
    await demoTalk(server);
    browser = await launchBrowser();
    const moderator = await (await laptopContext(browser)).newPage();
    errors.push(...watchErrors(moderator));
    await moderator.goto(server.urls.moderator);
    // Reached from the moderator page (the console has the same panel): the link opens a new tab.
    const [opened] = await Promise.all([moderator.context().waitForEvent('page'), moderator.locator('.ld-sx-report').click()]);
    report = opened;
    errors.push(...watchErrors(report));
    await report.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the time per slide as bars, one per slide, with titles from the deck', async () => {
    const rows = report.locator('[data-section="timeline"] .ld-rp-bar');
    assert.equal(await rows.count(), 6);
    assert.equal(await rows.nth(1).locator('.ld-rp-name > span').textContent(), 'Pick one');
    const widths = await rows.locator('.ld-rp-fill').evaluateAll((fills) => fills.map((f) => f.getBoundingClientRect().width));
    assert.ok(widths.filter((w) => w > 0).length >= 5, `bars drawn: ${widths.join(', ')}`);
  });

  it('draws the audience over time as an SVG line', async () => {
    const d = await report.locator('[data-section="presence"] svg .ld-rp-stroke').getAttribute('d');
    assert.match(d ?? '', /^M[\d.]+,[\d.]+( H[\d.]+ V[\d.]+)+$/);
    assert.match((await report.locator('[data-section="presence"] .ld-rp-note').textContent()) ?? '', /^Peak 12/);
  });

  it('lists questions per slide with votes, and answered ones marked', async () => {
    const items = report.locator('[data-section="questions"] li');
    assert.equal(await items.count(), 4);
    assert.equal(await report.locator('[data-section="questions"] li[data-state="answered"]').count(), 2);
    assert.equal(await items.first().getAttribute('data-votes'), '7');
    // Audience text is text: the markup in this question and its name shows as typed.
    assert.equal(await report.locator('[data-section="questions"] img, [data-section="questions"] b').count(), 0);
    assert.equal(await items.nth(2).locator('.ld-rp-qtext').textContent(), 'Is there a Redis adapter? <img src=x onerror=alert(1)>');
    assert.equal(await items.nth(2).locator('.ld-rp-qmeta').textContent(), '<b>Bo</b>');
  });

  it('charts reactions, pace and every poll (bars and a word cloud)', async () => {
    assert.equal(await report.locator('[data-section="reactions"] .ld-rp-bar').count(), 2);
    assert.equal(await report.locator('[data-section="pace"] .ld-rp-bar').count(), 2);
    const transport = report.locator('[data-poll="transport"] .ld-bar-row');
    assert.deepEqual(await transport.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-count'))), ['2', '2', '8']);
    const fast = report.locator('[data-poll="word"] .ld-word', { hasText: /^fast$/ });
    const simple = report.locator('[data-poll="word"] .ld-word', { hasText: /^simple$/ });
    const size = (l: typeof fast) => l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok((await size(fast)) > (await size(simple)), 'the most sent word is drawn largest');
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await report.setViewportSize({ width: 1100, height: 900 });
      await report.screenshot({ path: `${SHOTS}/report.png`, fullPage: true });
    }
  });

  it('prints to a clean PDF of a few pages, without the buttons', async () => {
    await report.emulateMedia({ media: 'print' });
    assert.equal(await report.locator('.ld-rp-actions').isVisible(), false);
    if (SHOTS) await report.screenshot({ path: `${SHOTS}/report-print.png`, fullPage: true });
    const pdf = await report.pdf({ format: 'A4', printBackground: true });
    const pages = pdfPages(pdf);
    if (SHOTS) (await import('node:fs')).writeFileSync(`${SHOTS}/report.pdf`, pdf);
    assert.ok(pages >= 1 && pages <= 6, `${pages} pages`);
    await report.emulateMedia({ media: 'screen' });
  });

  it('says what is wrong when the link has no key or a wrong one, and threw nothing', async () => {
    const page = await (await laptopContext(browser)).newPage();
    await page.goto(`${server.urls.base}/t/${server.code}/report#key=wrong`);
    await page.locator('.ld-rp-error', { hasText: 'not valid for this talk' }).waitFor();
    await page.close();
    assert.deepEqual(errors, []);
  });
});
