import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { deckPosition, waitForPosition, type DomPosition } from './support/deck-dom.ts';
import { HttpProxy } from './support/http-proxies.ts';
import { startTestServer } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const SLOW = 'Connected (slow network mode)';
/** Browser steps under a shared, loaded machine: generous, and never a timed assertion. */
const WAIT = 20_000;

/**
 * Two phones that cannot open a WebSocket: one behind a proxy that refuses upgrades (it falls
 * back to SSE and POST), one behind a proxy that swallows upgrades and buffers every response
 * until it ends (an event stream never arrives, so it falls back to long-polling). The
 * presenter is connected directly.
 */
describe('in Chromium: phones behind proxies that block WebSockets', () => {
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  const proxies = { sse: new HttpProxy('refuse-websockets'), poll: new HttpProxy('buffer') };
  const phones: Record<'sse' | 'poll', Page> = {} as Record<'sse' | 'poll', Page>;
  const errors: string[] = [];

  before(async () => {
    await proxies.sse.listen();
    await proxies.poll.listen();
    // Behind a proxy the page's origin is the proxy's, as behind a reverse proxy with its own name.
    server = await startTestServer({ deckPath: POLL_DECK, allowOrigins: [proxies.sse.origin, proxies.poll.origin] });
    proxies.sse.targetPort = server.port;
    proxies.poll.targetPort = server.port;
    browser = await launchBrowser();
    presenter = await (await laptopContext(browser)).newPage();
    errors.push(...watchErrors(presenter));
    await presenter.goto(server.urls.presenter);
    await presenter.locator('.ld-status[data-status="connected"]').waitFor({ timeout: WAIT });
    for (const kind of ['sse', 'poll'] as const) {
      const phone = await (await phoneContext(browser)).newPage();
      errors.push(...watchErrors(phone));
      phones[kind] = phone;
      await phone.goto(`${proxies[kind].origin}/j/${server.code}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await proxies.sse.close();
    await proxies.poll.close();
  });

  it('connects each phone on its fallback and says so on the phone, and the console counts them', async () => {
    for (const kind of ['sse', 'poll'] as const) {
      const status = phones[kind].locator(`.ld-status[data-status="connected"][data-transport="${kind}"]`);
      await status.waitFor({ timeout: WAIT });
      assert.equal(await status.locator('.ld-status-label').textContent(), SLOW);
      assert.ok(proxies[kind].upgradesRefused >= 1, `the ${kind} phone tried a WebSocket first`);
    }
    await presenter.locator('.ld-slow', { hasText: '· 2 slow-mode' }).waitFor({ timeout: WAIT });
    assert.equal(await presenter.locator('.ld-count').textContent(), '2');
    // The presenter itself is on a WebSocket: "Live", not slow mode.
    assert.equal(await presenter.locator('.ld-status-label').textContent(), 'Live');
  });

  it('follows every move of the presenter', async () => {
    const moves: Array<[string, DomPosition]> = [
      ['ArrowRight', { h: 1, v: 0, fragments: 0 }],
      ['ArrowRight', { h: 2, v: 0, fragments: 0 }],
      ['ArrowRight', { h: 3, v: 0, fragments: 0 }],
      ['ArrowDown', { h: 3, v: 1, fragments: 0 }],
      ['ArrowRight', { h: 4, v: 0, fragments: 0 }],
      ['Home', { h: 0, v: 0, fragments: 0 }],
      ['ArrowRight', { h: 1, v: 0, fragments: 0 }],
    ];
    for (const [key, position] of moves) {
      await presenter.keyboard.press(key);
      for (const phone of Object.values(phones)) await waitForPosition(phone, position, '.reveal', WAIT);
    }
  });

  it('votes in a poll from both phones, and the console counts both ballots', async () => {
    await presenter.locator('.ld-poll-action[data-poll-id="transport"]').click();
    for (const phone of Object.values(phones)) {
      await phone.locator('.ld-poll-card[data-poll-id="transport"]').waitFor({ timeout: WAIT });
    }
    await phones.sse.locator('.ld-ballot-option', { hasText: 'WebSockets' }).tap();
    await phones.poll.locator('.ld-ballot-option', { hasText: /^Long polling/ }).tap();
    const row = presenter.locator('.ld-poll-row[data-poll-id="transport"]');
    await row.locator('.ld-bar-row[data-count="1"]').nth(1).waitFor({ timeout: WAIT });
    const counts = await row.locator('.ld-bar-row').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.count)));
    assert.deepEqual(counts, [0, 1, 1]);
  });

  it('asks a question from one phone and upvotes it from the other', async () => {
    const ask = phones.sse;
    if (!(await ask.locator('.ld-ix-sheet').isVisible())) await ask.locator('.ld-ix-launch').click();
    await ask.locator('.ld-ix-tab', { hasText: 'Questions' }).click();
    await ask.locator('.ld-ix-ask-text').fill('Does this work behind the venue proxy?');
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    const item = presenter.locator('.ld-sx-q', { hasText: 'behind the venue proxy' });
    await item.waitFor({ timeout: WAIT });

    const voter = phones.poll;
    if (!(await voter.locator('.ld-ix-sheet').isVisible())) await voter.locator('.ld-ix-launch').click();
    await voter.locator('.ld-ix-tab', { hasText: 'Questions' }).click();
    const question = voter.locator('.ld-ix-q', { hasText: 'behind the venue proxy' });
    await question.waitFor({ timeout: WAIT });
    await question.locator('.ld-ix-vote').click();
    await voter.locator('.ld-ix-q', { hasText: 'behind the venue proxy' }).locator('.ld-ix-vote[aria-pressed="true"]').waitFor({ timeout: WAIT });
    await item.locator('.ld-sx-votes strong', { hasText: '1' }).waitFor({ timeout: WAIT });
    assert.deepEqual(errors, []);
  });

  it('moves a phone back to a WebSocket in the background once the network lets one through', async () => {
    try {
      const phone = await (await phoneContext(browser)).newPage();
      await phone.goto(`${proxies.sse.origin}/j/${server.code}`);
      await phone.locator('.ld-status[data-status="connected"][data-transport="sse"]').waitFor({ timeout: WAIT });
      proxies.sse.allowUpgrades = true;
      // The first background WebSocket goes 10 s after the fallback connected.
      await phone.locator('.ld-status[data-status="connected"][data-transport="websocket"]').waitFor({ timeout: 40_000 });
      assert.equal(await phone.locator('.ld-status-label').textContent(), 'Live');
      await presenter.keyboard.press('ArrowRight');
      const position = await deckPosition(presenter, '.ld-current .reveal');
      await waitForPosition(phone, position!, '.reveal', WAIT);
      await phone.context().close();
    } finally {
      proxies.sse.allowUpgrades = false;
    }
  });
});
