/**
 * In Chromium, several phones, the console and the moderator page: the asker edits and withdraws
 * their own question (no upvote button on it), the presenter answers in text (shown under the
 * question on phones, the console and the moderator page), and the moderator mutes one phone,
 * which says so in words while the others keep chatting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { MUTED_TEXT } from '../protocol/qa-more.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

const SHOTS = '/tmp/qa-shots';
const WAIT = { timeout: 20_000 };

async function openSheet(phone: Page, tab: 'Questions' | 'Chat' = 'Questions'): Promise<void> {
  if (!(await phone.locator('.ld-ix-sheet').isVisible())) await phone.locator('.ld-ix-launch').click();
  await phone.locator('.ld-ix-tab', { hasText: tab }).click();
}

async function askFrom(phone: Page, text: string): Promise<void> {
  await openSheet(phone);
  await phone.locator('.ld-ix-ask-text').fill(text);
  await phone.getByRole('button', { name: 'Ask', exact: true }).click();
}

async function chatFrom(phone: Page, text: string): Promise<void> {
  await openSheet(phone, 'Chat');
  await phone.locator('.ld-ix-chat-text').fill(text);
  await phone.getByRole('button', { name: 'Send', exact: true }).click();
}

describe('in Chromium: editing, withdrawing, answers in text and muting', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let moderator: Page;
  const phones: Page[] = [];
  const errors: string[] = [];

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    moderator = await (await laptopContext(browser)).newPage();
    for (let i = 0; i < 3; i++) phones.push(await (await phoneContext(browser)).newPage());
    for (const p of [presenter, moderator, ...phones]) errors.push(...watchErrors(p));
    await Promise.all([presenter.goto(server.urls.presenter), moderator.goto(server.urls.moderator), ...phones.map((p) => p.goto(server.urls.audience))]);
    for (const p of [presenter, moderator, ...phones]) await p.locator('.ld-status[data-status="connected"]').waitFor(WAIT);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets the asker edit their own question, with no upvote button on it, and everyone sees the new text', async () => {
    const [alice, bob] = [phones[0]!, phones[1]!];
    await askFrom(alice, 'How do WebSockts reconnect?');
    const own = alice.locator('.ld-ix-q.ld-ix-mine', { hasText: 'How do WebSockts reconnect?' });
    await own.waitFor(WAIT);
    assert.equal(await own.locator('button.ld-ix-vote').count(), 0, 'no upvote button on your own question');
    await own.locator('.ld-ix-edit').click();
    assert.equal(await alice.locator('.ld-ix-ask-text').inputValue(), 'How do WebSockts reconnect?');
    await alice.locator('.ld-ix-ask-text').fill('How do WebSockets reconnect?');
    await alice.getByRole('button', { name: 'Save', exact: true }).click();
    await openSheet(bob);
    const onBob = bob.locator('.ld-ix-q', { hasText: 'How do WebSockets reconnect?' });
    await onBob.waitFor(WAIT);
    await onBob.locator('.ld-ix-edited').waitFor(WAIT);
    assert.equal(await onBob.locator('button.ld-ix-vote').count(), 1, "others can upvote it");
    assert.equal(await onBob.locator('.ld-ix-edit').count(), 0, "no Edit on someone else's question");
    await moderator.locator('.ld-sx-q', { hasText: 'How do WebSockets reconnect?' }).locator('.ld-sx-edited').waitFor(WAIT);
    assert.equal(await bob.locator('.ld-ix-q', { hasText: 'WebSockts' }).count(), 0);
  });

  it('lets the asker withdraw an unanswered question, and it leaves the other phones and the console', async () => {
    const [alice, bob] = [phones[0]!, phones[1]!];
    await askFrom(alice, 'Actually, never mind this one');
    await bob.locator('.ld-ix-q', { hasText: 'Actually, never mind this one' }).waitFor(WAIT);
    await presenter.locator('.ld-sx-q', { hasText: 'Actually, never mind this one' }).waitFor(WAIT);
    await alice.locator('.ld-ix-q.ld-ix-mine', { hasText: 'Actually, never mind this one' }).locator('.ld-ix-withdraw').click();
    await bob.locator('.ld-ix-q', { hasText: 'Actually, never mind this one' }).waitFor({ state: 'detached', ...WAIT });
    await presenter.locator('.ld-sx-q', { hasText: 'Actually, never mind this one' }).waitFor({ state: 'detached', ...WAIT });
  });

  it('shows the presenter’s answer in text under the question on phones and the moderator page; the asker can no longer edit it', async () => {
    const [alice, bob] = [phones[0]!, phones[1]!];
    const item = presenter.locator('.ld-sx-q', { hasText: 'How do WebSockets reconnect?' });
    await item.locator('.ld-sx-answer-text-btn').click();
    await presenter.locator('.ld-sx-answer-input').fill('With capped, jittered backoff; the <b>server</b> resends a snapshot.');
    await presenter.locator('.ld-sx-answer-save').click();
    const answer = 'With capped, jittered backoff; the <b>server</b> resends a snapshot.';
    for (const phone of [alice, bob]) {
      await phone.locator('.ld-ix-q', { hasText: 'How do WebSockets reconnect?' }).locator('.ld-ix-answer-text', { hasText: answer }).waitFor(WAIT);
    }
    await moderator.locator('.ld-sx-q', { hasText: 'How do WebSockets reconnect?' }).locator('.ld-sx-answer-text', { hasText: answer }).waitFor(WAIT);
    await item.locator('.ld-sx-answer-text', { hasText: answer }).waitFor(WAIT);
    assert.equal(await bob.locator('.ld-ix-answer b').count(), 0, 'the answer is text, not markup');
    assert.equal(await alice.locator('.ld-ix-q.ld-ix-mine', { hasText: 'How do WebSockets reconnect?' }).locator('.ld-ix-edit, .ld-ix-withdraw').count(), 0);
    await alice.screenshot({ path: `${SHOTS}/phone-answered-question.png` });
  });

  it('mutes one phone from the moderator page: it says so in words, its chat is refused, the others still chat', async () => {
    const [bob, carol] = [phones[1]!, phones[2]!];
    await chatFrom(carol, 'Buy cheap followers here');
    await moderator.locator('.ld-sx-tab[data-view="chat"]').click();
    const line = moderator.locator('.ld-sx-line', { hasText: 'Buy cheap followers here' });
    await line.waitFor(WAIT);
    await line.locator('.ld-sx-mute').click();
    await carol.locator('.ld-ix-muted', { hasText: MUTED_TEXT }).waitFor(WAIT);
    assert.equal(await carol.locator('.ld-ix-chat-text').isVisible(), false, 'no chat box while muted');
    await carol.locator('.ld-ix-tab', { hasText: 'Questions' }).click();
    assert.equal(await carol.locator('.ld-ix-ask-text').isVisible(), false, 'no question box while muted');
    await carol.screenshot({ path: `${SHOTS}/phone-muted.png` });
    await line.locator('.ld-sx-unmute').waitFor(WAIT);
    await moderator.screenshot({ path: `${SHOTS}/moderator-muted-chat.png` });

    // A write sent anyway (a stale page, a script) is refused in words.
    const refused = await carol.evaluate(
      ({ code }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`);
          const participant = localStorage.getItem('livedeck.participant') ?? '';
          ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'audience', talk: code, participant }));
          ws.onmessage = (e) => {
            const m = JSON.parse(e.data as string) as { type: string; code?: string; message?: string };
            if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'chat', key: 'stale-1', text: 'again' }));
            if (m.type === 'error') resolve(`${m.code}: ${m.message}`);
          };
        }),
      { code: server.code },
    );
    assert.equal(refused, `muted: ${MUTED_TEXT}`);

    await chatFrom(bob, 'Still talking here');
    await moderator.locator('.ld-sx-line', { hasText: 'Still talking here' }).waitFor(WAIT);

    await line.locator('.ld-sx-unmute').click();
    await carol.locator('.ld-ix-muted').waitFor({ state: 'hidden', ...WAIT });
    await chatFrom(carol, 'Sorry, all fine now');
    await moderator.locator('.ld-sx-line', { hasText: 'Sorry, all fine now' }).waitFor(WAIT);
    assert.deepEqual(errors, []);
  });
});
