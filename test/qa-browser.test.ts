import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const CURRENT = '.ld-current .reveal';
/** Screenshots land here when LIVEDECK_SHOTS is set (for looking at the pages, not asserted). */
const SHOTS = process.env.LIVEDECK_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function openSheet(phone: Page, tab: 'Questions' | 'Chat' = 'Questions'): Promise<void> {
  if (!(await phone.locator('.ld-ix-sheet').isVisible())) await phone.locator('.ld-ix-launch').click();
  await phone.locator('.ld-ix-tab', { hasText: tab }).click();
}

async function askFrom(phone: Page, text: string, name?: string): Promise<void> {
  await openSheet(phone);
  if (name !== undefined) await phone.locator('.ld-ix-name').fill(name);
  await phone.locator('.ld-ix-ask-text').fill(text);
  await phone.getByRole('button', { name: 'Ask', exact: true }).click();
}

describe('in Chromium: questions, chat and moderation', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let screen: Page;
  let moderator: Page;
  const phones: Page[] = [];
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    screen = await (await laptopContext(browser)).newPage();
    moderator = await (await laptopContext(browser)).newPage();
    // Separate contexts: separate localStorage, so four different participants (the fourth asks what the other three vote on).
    for (let i = 0; i < 4; i++) phones.push(await (await phoneContext(browser)).newPage());
    for (const p of [presenter, screen, moderator, ...phones]) errors.push(...watchErrors(p));
    await Promise.all([
      presenter.goto(server.urls.presenter),
      screen.goto(server.urls.screen),
      moderator.goto(server.urls.moderator),
      ...phones.map((p) => p.goto(server.urls.audience)),
    ]);
    for (const p of [presenter, moderator, ...phones]) await p.locator('.ld-status[data-status="connected"]').waitFor();
    await screen.locator('body[data-status="connected"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('brings a question asked on a phone to the console with the slide the phone was on', async () => {
    for (let i = 0; i < 4; i++) await presenter.keyboard.press('ArrowRight');
    await waitForPosition(phones[0]!, { h: 2, v: 0, fragments: 0 });
    // The phone browses back on its own: the question belongs to the slide it is looking at.
    await phones[0]!.keyboard.press('ArrowLeft');
    await waitForPosition(phones[0]!, { h: 1, v: 0, fragments: 2 });
    await askFrom(phones[0]!, 'How do fragments sync?', 'Ada');
    const item = presenter.locator('.ld-sx-q', { hasText: 'How do fragments sync?' });
    await item.waitFor();
    assert.equal(await item.locator('.ld-sx-jump').textContent(), 'Go to slide 2');
    assert.equal(await item.locator('.ld-sx-name').textContent(), 'Ada');
    await phones[0]!.locator('.ld-ix-q.ld-ix-mine', { hasText: 'How do fragments sync?' }).waitFor();
    await shot(phones[0]!, 'phone-questions');
    // Jump: the console moves the deck to that slide and fragment, and everyone follows.
    await item.locator('.ld-sx-jump').click();
    await waitForPosition(presenter, { h: 1, v: 0, fragments: 2 }, CURRENT);
    await waitForPosition(screen, { h: 1, v: 0, fragments: 2 });
  });

  it('orders the list by upvotes from three participants, and by time on request', async () => {
    // Asked by a fourth phone: nobody upvotes their own question.
    await askFrom(phones[3]!, 'Is WebSocket faster than HTTP/2?');
    await askFrom(phones[3]!, 'Does this work behind proxies?');
    for (const phone of phones.slice(0, 3)) {
      await openSheet(phone);
      const vote = phone.locator('.ld-ix-q', { hasText: 'behind proxies' }).locator('.ld-ix-vote');
      await vote.waitFor();
      await vote.click();
      await phone.locator('.ld-ix-q', { hasText: 'behind proxies' }).locator('.ld-ix-vote[aria-pressed="true"]').waitFor();
    }
    await phones[2]!.locator('.ld-ix-q', { hasText: 'faster than' }).locator('.ld-ix-vote').click();
    const first = presenter.locator('.ld-sx-q').first();
    await presenter.locator('.ld-sx-q', { hasText: 'behind proxies' }).locator('.ld-sx-votes strong', { hasText: '3' }).waitFor();
    assert.match((await first.textContent()) ?? '', /behind proxies/);
    await phones[0]!.locator('.ld-ix-q').first().locator('.ld-ix-count', { hasText: '3' }).waitFor();
    const texts = await phones[0]!.locator('.ld-ix-q .ld-ix-q-text').allTextContents();
    assert.deepEqual(texts.slice(0, 3), ['Does this work behind proxies?', 'Is WebSocket faster than HTTP/2?', 'How do fragments sync?']);
    // Taking a vote back.
    await phones[0]!.locator('.ld-ix-q', { hasText: 'behind proxies' }).locator('.ld-ix-vote').click();
    await presenter.locator('.ld-sx-q', { hasText: 'behind proxies' }).locator('.ld-sx-votes strong', { hasText: '2' }).waitFor();
    await phones[0]!.locator('.ld-ix-sort', { hasText: 'Recent' }).click();
    assert.equal(await phones[0]!.locator('.ld-ix-q .ld-ix-q-text').first().textContent(), 'Does this work behind proxies?');
    await phones[0]!.locator('.ld-ix-sort', { hasText: 'Top' }).click();
  });

  it('keeps a question from the audience until it is approved in approve-first mode', async () => {
    await presenter.locator('.ld-sx-approve-first').check();
    await moderator.locator('.ld-sx-approve-first:checked').waitFor();
    await askFrom(phones[0]!, 'Please review me first');
    await phones[0]!.locator('.ld-ix-q.ld-ix-mine', { hasText: 'Please review me first' }).locator('.ld-ix-state', { hasText: 'Waiting for approval' }).waitFor();
    await moderator.locator('.ld-sx-tab[data-view="queue"]', { hasText: 'Queue 1' }).click();
    const pending = moderator.locator('.ld-sx-q', { hasText: 'Please review me first' });
    await pending.waitFor();
    await openSheet(phones[1]!);
    await phones[1]!.waitForTimeout(200);
    assert.equal(await phones[1]!.locator('.ld-ix-q', { hasText: 'Please review me first' }).count(), 0, 'others do not see it yet');
    await shot(moderator, 'moderator-queue');
    await pending.locator('.ld-sx-approve').click();
    await phones[1]!.locator('.ld-ix-q', { hasText: 'Please review me first' }).waitFor();
    await phones[0]!.locator('.ld-ix-toast', { hasText: 'now visible' }).waitFor();
    await presenter.locator('.ld-sx-approve-first').uncheck();
    await moderator.locator('.ld-sx-tab[data-view="live"]').click();
  });

  it('shows the highlighted question on the screen and on phones', async () => {
    const item = presenter.locator('.ld-sx-q', { hasText: 'behind proxies' });
    await item.locator('.ld-sx-highlight').click();
    await screen.locator('.ld-hl', { hasText: 'Does this work behind proxies?' }).waitFor();
    // Phones show it as a banner over the slide (with the sheet closed) and marked in the list.
    await phones[2]!.locator('.ld-ix-q.ld-ix-highlighted', { hasText: 'behind proxies' }).waitFor();
    await phones[2]!.locator('.ld-ix-close').click();
    await phones[2]!.locator('.ld-ix-spot', { hasText: 'behind proxies' }).waitFor();
    await shot(phones[2]!, 'phone-spotlight');
    await shot(screen, 'screen-highlight');
    await shot(presenter, 'presenter-console');
    await item.locator('.ld-sx-answer').click();
    await screen.locator('.ld-hl').waitFor({ state: 'hidden' });
    await phones[3]!.locator('.ld-ix-toast', { hasText: 'was answered' }).waitFor();
  });

  it('shows script-like questions, names and chat as literal text and runs nothing', async () => {
    const img = '<img src=x onerror=window.__xss=1>';
    const script = '<script>window.__xss=1</script>';
    await askFrom(phones[2]!, img, script);
    await openSheet(phones[2]!, 'Chat');
    await phones[2]!.locator('.ld-ix-chat-text').fill(`${script} ${img}`);
    await phones[2]!.getByRole('button', { name: 'Send', exact: true }).click();
    await presenter.locator('.ld-sx-q', { hasText: img }).locator('.ld-sx-name', { hasText: script }).waitFor();
    await presenter.locator('.ld-sx-tab[data-view="chat"]').click();
    await presenter.locator('.ld-sx-line', { hasText: `${script} ${img}` }).waitFor();
    await openSheet(phones[0]!, 'Chat');
    await phones[0]!.locator('.ld-ix-line', { hasText: `${script} ${img}` }).locator('.ld-ix-who', { hasText: script }).waitFor();
    await moderator.locator('.ld-sx-q', { hasText: img }).waitFor();
    for (const page of [presenter, screen, moderator, ...phones]) {
      assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
      assert.equal(await page.locator('.ld-sx img, .ld-ix-sheet img, .ld-sx script, .ld-ix-sheet script').count(), 0);
    }
    await shot(phones[0]!, 'phone-chat');
    await presenter.locator('.ld-sx-tab[data-view="live"]').click();
  });

  it('lets the moderator delete chat but never move slides', async () => {
    await moderator.locator('.ld-sx-tab[data-view="chat"]').click();
    const line = moderator.locator('.ld-sx-line', { hasText: '<script>' });
    await line.locator('.ld-sx-delete').click();
    await phones[0]!.locator('.ld-ix-line', { hasText: '<script>' }).waitFor({ state: 'detached' });
    const answer = await moderator.evaluate(
      ({ code, key }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`);
          ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'moderator', talk: code, key }));
          ws.onmessage = (event) => {
            const m = JSON.parse(String(event.data)) as { type: string; code?: string };
            if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'goto', state: { indexh: 3, indexv: 0, indexf: -1, paused: false, overview: false } }));
            if (m.type === 'error') resolve(m.code ?? '');
          };
        }),
      { code: server.code, key: server.moderatorKey },
    );
    assert.equal(answer, 'forbidden');
    await waitForPosition(screen, { h: 1, v: 0, fragments: 2 });
    assert.equal(await moderator.locator('.ld-nav').count(), 0, 'no slide controls on the moderator page');
  });

  it('tells a phone clearly when it asks too fast', async () => {
    const phone = phones[2]!;
    for (const text of ['two', 'three', 'four']) await askFrom(phone, `Rate limit ${text}`);
    await phone.locator('.ld-ix-error', { hasText: /You can ask 3 questions in a minute\. Try again in \d+ s\./ }).waitFor();
    assert.equal(await phone.locator('.ld-ix-ask-text').inputValue(), 'Rate limit four', 'the refused question is put back');
    await shot(phone, 'phone-rate-limit');
  });

  it('threw no errors in any page', () => {
    assert.deepEqual(errors, []);
  });
});
