/**
 * In Chromium: the pages while the server cannot store (cluster mode, Redis unreachable). A
 * real single-node server serves the talk; between a page and it, Playwright's WebSocket route
 * answers chosen writes with `unavailable` (as a cluster node cut off from Redis does) instead
 * of passing them on, until the test lets them through. Everything else, and every frame the
 * server sends, passes unchanged.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { ClientMessage, ErrorMessage } from '../protocol/messages.ts';
import { ERROR_CODES } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient, silent } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const BANNER = '.ld-current .ld-not-synced';
const TEXT = 'Not synced: the server cannot store changes right now. Your position will be sent when it can.';

/**
 * Passes a page's frames to the server, except those `refuse` picks: they are answered
 * `unavailable` (with the write's key, and `retryAfterMs`), recorded, and never reach the server.
 */
function standIn(refuse: (message: ClientMessage) => boolean, refused: ClientMessage[], retryAfterMs: number) {
  return (route: WebSocketRoute): void => {
    const upstream = route.connectToServer();
    route.onMessage((frame) => {
      const message = JSON.parse(String(frame)) as ClientMessage;
      if (!refuse(message)) return upstream.send(frame);
      refused.push(message);
      const key = 'key' in message && typeof message.key === 'string' ? { key: message.key } : {};
      const error: ErrorMessage = { type: 'error', code: 'unavailable', message: ERROR_CODES.unavailable, ref: message.type, ...key, retryAfterMs };
      route.send(JSON.stringify(error));
    });
  };
}

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('in Chromium: the console says "Not synced" while its moves cannot be stored', () => {
  let server: RunningServer;
  let presenter: Page;
  let phone: TestClient;
  const errors: string[] = [];
  /** While true, the console's gotos are answered `unavailable` and never reach the server. */
  let refusing = false;
  const refused: ClientMessage[] = [];

  before(async () => {
    server = await startTestServer();
    const context = await laptopContext(browser);
    await context.routeWebSocket(/\/ws$/, standIn((m) => refusing && m.type === 'goto', refused, 300));
    presenter = await context.newPage();
    errors.push(...watchErrors(presenter));
    await presenter.goto(server.urls.presenter);
    await presenter.locator('.ld-status[data-status="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
    phone = await TestClient.join(server.port, server.code, 'audience');
  });

  after(async () => {
    phone?.close();
    await presenter?.context().close();
    await server?.close();
  });

  it('shows the banner on an unavailable move, resends the newest position when due, and phones stay put meanwhile', async () => {
    refusing = true;
    await presenter.locator('.ld-nav-next').click();
    const banner = presenter.locator(BANNER);
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await banner.textContent(), TEXT);
    // Slide 2 of test/fixtures/small.md. The move that was refused is sent again without a reconnect, more than once while refused.
    const until = Date.now() + 15_000;
    while (refused.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.ok(refused.length >= 3, `resent while refused (${refused.length} sends)`);
    assert.ok(refused.every((m) => m.type === 'goto' && m.state.indexh === 1 && m.state.indexf === -1), 'always the console position (slide 2)');
    assert.equal(await silent(phone, 'deck', 300), true, 'phones never hear of a move that was not stored');
  });

  it('clears the banner once the server holds the console position, and phones follow it', async () => {
    await presenter.locator('.ld-nav-next').click();
    const newest = await presenter.locator('.ld-position').textContent();
    refusing = false;
    const deck = await phone.next('deck', 15_000);
    // Slide 2's first fragment: the newest position, moved to while not synced; the refused one never arrives.
    assert.deepEqual({ h: deck.state.indexh, f: deck.state.indexf }, { h: 1, f: 0 });
    await presenter.locator(BANNER).waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await presenter.locator('.ld-position').textContent(), newest, 'the console stayed where the speaker is');
    assert.deepEqual(errors, []);
  });
});

describe("in Chromium: a phone's question that cannot be stored yet is kept and sent again, quietly", () => {
  let server: RunningServer;
  let phone: Page;
  let staff: TestClient;
  const errors: string[] = [];
  /** The first two asks are refused `unavailable`; the third goes through. */
  const refused: ClientMessage[] = [];

  before(async () => {
    server = await startTestServer();
    const context = await phoneContext(browser);
    await context.routeWebSocket(/\/ws$/, standIn((m) => m.type === 'ask' && refused.length < 2, refused, 200));
    phone = await context.newPage();
    errors.push(...watchErrors(phone));
    await phone.goto(server.urls.audience);
    await phone.locator('.ld-status[data-status="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
    staff = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  });

  after(async () => {
    staff?.close();
    await phone?.context().close();
    await server?.close();
  });

  it('stores it once, with the key it was first sent with, and shows the phone no error', async () => {
    await phone.locator('.ld-ix-launch').click();
    await phone.locator('.ld-ix-ask-text').fill('Does it survive a node going away?');
    await phone.getByRole('button', { name: 'Ask', exact: true }).click();
    const stored = await staff.next('question', 15_000);
    assert.equal(stored.question.text, 'Does it survive a node going away?');
    assert.equal(refused.length, 2, 'refused twice, then passed');
    const keys = new Set(refused.map((m) => (m.type === 'ask' ? m.key : '')));
    assert.equal(keys.size, 1, 'the resend carries the same key');
    await phone.locator('.ld-ix-q.ld-ix-mine', { hasText: 'Does it survive a node going away?' }).waitFor({ timeout: 10_000 });
    assert.equal(await silent(staff, 'question', 500), true, 'stored once');
    assert.equal((await phone.locator('.ld-ix-error').textContent({ timeout: 2000 }).catch(() => '')) ?? '', '', 'no error shown');
    assert.deepEqual(errors, []);
  });
});
