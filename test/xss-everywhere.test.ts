/**
 * Every text field a person can write, filled with the payload corpus (test/fixtures/xss.txt) and
 * rendered on every page that shows it: the presenter console, the screen, the moderator page and
 * a phone. The writes go in through real WebSocket clients (fast, and past any form limits the
 * pages would add); the pages are real Chromium.
 *
 * Each payload's `alert(1)` becomes `__xss(<line>)`, a function exposed to every page that records
 * the line; any dialog (the payloads that keep `alert`) fails too. The pages run with their
 * Content-Security-Policy bypassed: the CSP would stop most of these anyway, and what is under
 * test here is that the pages never turn wire text into markup in the first place.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION, type ClientMessage } from '../protocol/messages.ts';
import { POLL_LIMITS } from '../protocol/polls.ts';
import { cleanName, cleanText, QA_LIMITS } from '../protocol/qa.ts';
import { normalizeWord } from '../protocol/words.ts';
import { normalizeText } from '../server/features/polls/tally.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const CORPUS = readFileSync(new URL('./fixtures/xss.txt', import.meta.url), 'utf8').split('\n').filter((line) => line.trim() !== '');
/** The corpus, each `alert(1)` made to report which line ran. */
const PAYLOADS = CORPUS.map((line, i) => line.replaceAll('alert(1)', `__xss(${i})`));
/** A payload cut to a field's limit (names and words are short); most still fit whole. */
const fit = (text: string, max: number) => [...text].slice(0, max).join('');
/** Live polls created from the console: this many options each (the protocol's maximum is 12). */
const OPTIONS_PER_POLL = 10;

/** Waits until every expected text is the exact textContent of some element matching `selector`. */
async function shows(page: Page, selector: string, expected: readonly string[], what: string, timeoutMs = 8000): Promise<void> {
  try {
    await page.waitForFunction(
      ({ selector, expected }) => {
        const seen = new Set(Array.from(document.querySelectorAll(selector), (e) => e.textContent));
        return expected.every((text) => seen.has(text));
      },
      { selector, expected },
      { timeout: timeoutMs, polling: 100 },
    );
  } catch {
    const seen = new Set(await page.$$eval(selector, (els) => els.map((e) => e.textContent)));
    const missing = expected.filter((text) => !seen.has(text));
    assert.fail(`${what}: ${missing.length} of ${expected.length} not shown literally, e.g. ${JSON.stringify(missing.slice(0, 3))}`);
  }
}

/**
 * Markup a payload would leave behind if a page parsed it: event-handler attributes, script-ish
 * URLs, and elements the pages never make themselves. Empty on a clean page.
 */
function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    // #ld-reveal is the deck's reveal.js set-up, written by the server as JSON (type application/json, never run).
    const foreign = 'iframe, object, embed, base, marquee, math, template, noscript, video, audio, source, svg, b, frame, frameset, meta[http-equiv], script:not([src]):not(#ld-reveal)';
    for (const el of document.querySelectorAll(foreign)) found.push(el.outerHTML.slice(0, 80));
    for (const el of document.querySelectorAll('*')) {
      for (const attr of Array.from(el.attributes)) {
        // Text in aria-label or title is fine; a URL or a style that reaches out is not.
        const url = /^(href|src|action|formaction|data|poster|background|xlink:href)$/i.test(attr.name) && /^\s*(javascript|data):|evil\.example/i.test(attr.value);
        const style = attr.name === 'style' && /url\(|javascript:/i.test(attr.value);
        if (/^on/i.test(attr.name) || url || style) found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
      }
      if (el.tagName === 'IMG' && !(el.getAttribute('src') ?? '').startsWith('/')) found.push(el.outerHTML.slice(0, 80));
    }
    return found;
  });
}

/** Records every payload that runs in the page, by its `__xss(line)` call or by the dialog it opens. */
async function watchPayloads(name: string, page: Page, ran: string[]): Promise<void> {
  await page.exposeFunction('__xss', (line: number) => ran.push(`${name}: payload ${line} ran: ${CORPUS[line]}`));
  page.on('dialog', (dialog) => {
    ran.push(`${name}: a ${dialog.type()} dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

describe('in Chromium: the XSS corpus in every field a person can write', () => {
  let server: RunningServer;
  let browser: Browser;
  const pages: Record<'presenter' | 'screen' | 'moderator' | 'phone', Page> = {} as never;
  const ran: string[] = [];
  const errors: string[] = [];
  const clients: TestClient[] = [];

  before(async () => {
    // Answers in text go one per question, faster than a person types them.
    server = await startTestServer({ deckPath: POLL_DECK, rates: { answer_question: { perSecond: 200, burst: 200 } } });
    browser = await launchBrowser();
    const noCsp = { bypassCSP: true };
    pages.presenter = await (await laptopContext(browser, noCsp)).newPage();
    pages.screen = await (await laptopContext(browser, noCsp)).newPage();
    pages.moderator = await (await laptopContext(browser, noCsp)).newPage();
    pages.phone = await (await phoneContext(browser, noCsp)).newPage();
    for (const [name, page] of Object.entries(pages)) {
      errors.push(...watchErrors(page));
      await watchPayloads(name, page, ran);
    }
    await Promise.all([
      pages.presenter.goto(server.urls.presenter),
      pages.screen.goto(server.urls.screen),
      pages.moderator.goto(server.urls.moderator),
      pages.phone.goto(server.urls.audience),
    ]);
    for (const page of [pages.presenter, pages.moderator, pages.phone]) await page.locator('.ld-status[data-status="connected"]').first().waitFor();
    await pages.screen.locator('body[data-status="connected"]').waitFor();
    for (const [name, page] of Object.entries(pages)) assert.deepEqual(await injectedMarkup(page), [], `${name} is clean before the payloads`);
  });

  after(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await server?.close();
  });

  it('would notice a payload that a page parsed as HTML (the harness itself)', async () => {
    const canary = await (await laptopContext(browser, { bypassCSP: true })).newPage();
    const caught: string[] = [];
    await watchPayloads('canary', canary, caught);
    await canary.goto(server.urls.screen);
    const img = PAYLOADS.findIndex((p) => p.startsWith('<img src=x onerror=__xss('));
    const entity = PAYLOADS.findIndex((p) => p.includes('&#97;&#108;&#101;&#114;&#116;'));
    await canary.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), `${PAYLOADS[img]}${PAYLOADS[entity]}`);
    const deadline = Date.now() + 5000;
    while (caught.length < 2 && Date.now() < deadline) await canary.waitForTimeout(50);
    assert.deepEqual(caught.sort(), [`canary: a alert dialog opened: 1`, `canary: payload ${img} ran: ${CORPUS[img]}`]);
    assert.ok((await injectedMarkup(canary)).length > 0, 'the markup scan sees it too');
    await canary.context().close();
  });

  /** Sends a keyed write and waits for its ack. */
  async function write(client: TestClient, message: Extract<ClientMessage, { key: string }>): Promise<void> {
    client.send(message);
    const answer = await Promise.race([client.next('ack'), client.next('error').then((e) => assert.fail(`${message.type} refused: ${e.message}`))]);
    assert.equal(answer.key, message.key);
  }

  it('sends every payload as a question, a name, a chat line, a word and an open answer, and as live polls', { timeout: 60_000 }, async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    clients.push(presenter);
    for (const poll of ['word', 'open']) {
      presenter.send({ type: 'openPoll', poll });
      await presenter.next('poll');
    }
    for (let k = 0; k * OPTIONS_PER_POLL < PAYLOADS.length; k++) {
      const options = PAYLOADS.slice(k * OPTIONS_PER_POLL, (k + 1) * OPTIONS_PER_POLL);
      if (options.length < 2) options.push('plain option');
      await write(presenter, { type: 'createPoll', key: `poll-${k}`, poll: { type: 'single', question: PAYLOADS[k]!, options, results: 'live' }, openNow: true });
    }

    // One participant per payload: a ballot per poll each, and well under the per-minute limits.
    for (const [i, payload] of PAYLOADS.entries()) {
      const phone = await TestClient.connect(server.port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: `xss-${i}` });
      await phone.next('welcome');
      clients.push(phone);
      const name = fit(payload, QA_LIMITS.nameChars);
      await write(phone, { type: 'ask', key: `q${i}`, text: payload, name, slide: { indexh: 0, indexv: 0, indexf: -1 } });
      await write(phone, { type: 'chat', key: `c${i}`, text: payload, name });
      await write(phone, { type: 'ballot', key: `w${i}`, poll: 'word', value: { text: fit(payload, POLL_LIMITS.word) } });
    }
  });

  it('shows questions and names literally on the console, the moderator page and the phone', async () => {
    const questions = PAYLOADS.map(cleanText);
    const names = PAYLOADS.map((p) => cleanName(fit(p, QA_LIMITS.nameChars))!);
    for (const page of [pages.presenter, pages.moderator]) {
      await shows(page, '.ld-sx-q .ld-sx-text', questions, 'staff questions');
      await shows(page, '.ld-sx-q .ld-sx-name', names, 'staff names');
    }
    await shows(pages.phone, '.ld-ix-q .ld-ix-q-text', questions, 'phone questions');
    await shows(pages.phone, '.ld-ix-q .ld-ix-meta > span:first-child', names, 'phone names');
  });

  it("shows the presenter's answers in text literally on the console, the moderator page and the phone", async () => {
    const presenter = await TestClient.connect(server.port);
    clients.push(presenter);
    presenter.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: server.presenterKey });
    const { questions } = await presenter.next('qa_snapshot');
    const byText = new Map(questions.map((q) => [q.text, q.id]));
    for (const payload of PAYLOADS) {
      const id = byText.get(cleanText(payload));
      assert.ok(id, `the question ${JSON.stringify(payload)} is there`);
      presenter.send({ type: 'answer_question', question: id, text: payload });
    }
    const answers = PAYLOADS.map(cleanText);
    for (const page of [pages.presenter, pages.moderator]) await shows(page, '.ld-sx-q .ld-sx-answer-text', answers, 'staff answers');
    await shows(pages.phone, '.ld-ix-q .ld-ix-answer-text', answers, 'phone answers');
  });

  it('shows chat lines and names literally on the console, the moderator page and the phone', async () => {
    const lines = PAYLOADS.map(cleanText);
    const names = PAYLOADS.map((p) => cleanName(fit(p, QA_LIMITS.nameChars))!);
    for (const page of [pages.presenter, pages.moderator]) {
      // The staff panel draws only the tab in view.
      await page.locator('.ld-sx-tab[data-view="chat"]').click();
      await shows(page, '.ld-sx-line .ld-sx-line-text', lines, 'staff chat');
      await shows(page, '.ld-sx-line .ld-sx-who', names, 'staff chat names');
      await page.locator('.ld-sx-tab[data-view="live"]').click();
    }
    await shows(pages.phone, '.ld-ix-line .ld-ix-line-text', lines, 'phone chat');
    await shows(pages.phone, '.ld-ix-line .ld-ix-who', names, 'phone chat names');
  });

  it('shows highlighted questions literally on the screen and over the phone slide', async () => {
    const presenter = clients[0]!;
    const sample = [0, 1, 8, 9, 16, 32].filter((i) => i < PAYLOADS.length);
    const snapshot = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const { questions } = await snapshot.next('qa_snapshot');
    snapshot.close();
    for (const i of sample) {
      const question = questions.find((q) => q.text === cleanText(PAYLOADS[i]!))!;
      presenter.send({ type: 'moderate', question: question.id, action: 'highlight' });
      await shows(pages.screen, '.ld-hl .ld-hl-text', [question.text], `screen highlight of payload ${i}`);
      await shows(pages.screen, '.ld-hl .ld-hl-who', [question.name!], `screen highlight name of payload ${i}`);
      await shows(pages.phone, '.ld-ix-spot .ld-ix-spot-text', [question.text], `phone spotlight of payload ${i}`);
    }
    presenter.send({ type: 'moderate', question: questions[0]!.id, action: 'unhighlight' });
  });

  it('shows word-cloud words literally on the screen, the console, the moderator page and the phone', async () => {
    // Words are counted and shown normalised (protocol/words.ts): lower case, spaces collapsed.
    const expected = [...new Set(PAYLOADS.map((p) => normalizeWord(fit(p, POLL_LIMITS.word))))];
    await shows(pages.screen, '.reveal .ld-poll[data-poll-id="word"] .ld-word', expected, 'screen words');
    await shows(pages.presenter, '.ld-poll-row[data-poll-id="word"] .ld-word', expected, 'console words');
    await shows(pages.moderator, '.ld-poll-row[data-poll-id="word"] .ld-word', expected, 'moderator words');
    await shows(pages.phone, '.reveal .ld-poll[data-poll-id="word"] .ld-word', expected, 'phone words');
  });

  it('shows open-text answers literally on every page, each as it arrives', { timeout: 60_000 }, async () => {
    // The pages show only the newest few answers: five at a time, so each payload is drawn everywhere.
    const phones = clients.slice(1);
    for (let start = 0; start < PAYLOADS.length; start += 5) {
      const batch = PAYLOADS.slice(start, start + 5);
      await Promise.all(batch.map((payload, j) => write(phones[start + j]!, { type: 'ballot', key: `a${start + j}`, poll: 'open', value: { text: payload } })));
      const answers = batch.map(normalizeText);
      await shows(pages.screen, '.reveal .ld-poll[data-poll-id="open"] .ld-answers li', answers, 'screen answers');
      await shows(pages.presenter, '.ld-poll-row[data-poll-id="open"] .ld-answers li', answers, 'console answers');
      await shows(pages.moderator, '.ld-poll-row[data-poll-id="open"] .ld-answers li', answers, 'moderator answers');
      await shows(pages.phone, '.ld-poll-card[data-poll-id="open"] .ld-answers li', answers, 'phone answers');
    }
  });

  it('shows live polls (question and options) literally on the console, the moderator page and the phone', async () => {
    // Stored as the server cleans them: trimmed, control and direction-override characters dropped.
    const questions = PAYLOADS.slice(0, Math.ceil(PAYLOADS.length / OPTIONS_PER_POLL)).map(normalizeText);
    const options = PAYLOADS.map(normalizeText);
    for (const page of [pages.presenter, pages.moderator]) {
      await shows(page, '.ld-poll-row .ld-poll-question', questions, 'staff poll questions');
      await shows(page, '.ld-poll-row .ld-bar-label', options, 'staff poll options');
    }
    await shows(pages.phone, '.ld-poll-card .ld-poll-question', questions, 'phone poll questions');
    await shows(pages.phone, '.ld-poll-card .ld-ballot-option', options, 'phone ballot options');
    await shows(pages.phone, '.ld-poll-card .ld-bar-label', options, 'phone result options');
  });

  it('shows a poll typed into the console form literally', async () => {
    const page = pages.presenter;
    const [question, ...options] = [PAYLOADS[1]!, PAYLOADS[0]!, PAYLOADS[2]!, PAYLOADS[8]!];
    await page.locator('.ld-new-poll-box summary').click();
    await page.locator('.ld-new-question').fill(question!);
    await page.locator('.ld-new-options').fill(options.join('\n'));
    await page.getByRole('button', { name: 'Create and open' }).click();
    // Live polls are numbered in creation order; the ones sent over the socket came first.
    const id = `live-${Math.ceil(PAYLOADS.length / OPTIONS_PER_POLL) + 1}`;
    await shows(page, `.ld-poll-row[data-poll-id="${id}"] .ld-poll-question`, [question!], 'console form poll question');
    await shows(page, `.ld-poll-row[data-poll-id="${id}"] .ld-bar-label`, options, 'console form poll options');
    await shows(pages.moderator, `.ld-poll-row[data-poll-id="${id}"] .ld-poll-question`, [question!], 'moderator form poll question');
    await shows(pages.phone, `.ld-poll-card[data-poll-id="${id}"] .ld-poll-question`, [question!], 'phone form poll question');
    await shows(pages.phone, `.ld-poll-card[data-poll-id="${id}"] .ld-ballot-option`, options, 'phone form poll options');
  });

  it('ran no payload, opened no dialog, left no markup behind and threw no errors', async () => {
    // Give late image errors and animations a moment to fire.
    await pages.phone.waitForTimeout(300);
    assert.deepEqual(ran, []);
    for (const [name, page] of Object.entries(pages)) assert.deepEqual(await injectedMarkup(page), [], `${name} holds no injected markup`);
    assert.deepEqual(errors, []);
  });
});
