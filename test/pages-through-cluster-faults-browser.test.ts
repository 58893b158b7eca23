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
import type { ClientMessage, DeckState, ErrorMessage, HelloMessage, ServerMessage } from '../protocol/messages.ts';
import { ERROR_CODES } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient, silent } from './support/client.ts';
import { startTestServer } from './support/server.ts';
import { waitForPosition } from './support/deck-dom.ts';

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

/**
 * A node of a cluster, as the page sees it: the real server's frames with an epoch in every
 * welcome and resumed, and, while `stale` is set, a welcome from a node a moment behind (a lower
 * seq and the position at that seq). Records each hello and each socket, so a test can close one
 * as a node going away does.
 */
interface NodeStandIn {
  hellos: HelloMessage[];
  sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }>;
  stale: { seq: number; deck: DeckState } | null;
  /** Close codes for the next hellos: that socket is closed with it instead of joining (a node going away mid-handshake). */
  closeOnHello: number[];
}

const EPOCH = 'e-7c1d';

function clusterNode(node: NodeStandIn) {
  return (route: WebSocketRoute): void => {
    const upstream = route.connectToServer();
    node.sockets.push({ page: route, server: upstream });
    route.onMessage((frame) => {
      const message = JSON.parse(String(frame)) as ClientMessage;
      if (message.type === 'hello') {
        node.hellos.push(message);
        const code = node.closeOnHello.shift();
        if (code !== undefined) {
          void upstream.close();
          void route.close({ code, reason: 'this node is going away' });
          return;
        }
      }
      upstream.send(frame);
    });
    upstream.onMessage((frame) => {
      const message = JSON.parse(String(frame)) as ServerMessage;
      if (message.type === 'welcome') route.send(JSON.stringify({ ...message, epoch: EPOCH, ...(node.stale ? { seq: node.stale.seq, deck: node.stale.deck } : {}) }));
      else if (message.type === 'resumed') route.send(JSON.stringify({ ...message, epoch: EPOCH }));
      else route.send(frame);
    });
  };
}

describe('in Chromium: a phone moved to another node (cluster mode, with a stand-in node)', () => {
  let server: RunningServer;
  let phone: Page;
  let presenter: TestClient;
  const errors: string[] = [];
  const node: NodeStandIn = { hellos: [], sockets: [], stale: null, closeOnHello: [] };
  const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

  async function move(indexh: number): Promise<number> {
    presenter.send({ type: 'goto', state: at(indexh) });
    return (await presenter.next('deck')).seq;
  }

  async function until(what: string, done: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    server = await startTestServer();
    const context = await phoneContext(browser);
    await context.routeWebSocket(/\/ws$/, clusterNode(node));
    phone = await context.newPage();
    errors.push(...watchErrors(phone));
    presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    await phone.goto(server.urls.audience);
    await phone.locator('.ld-status[data-status="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
  });

  after(async () => {
    presenter?.close();
    await phone?.context().close();
    await server?.close();
  });

  it('on close 1012 and 1013, even before a welcome, reconnects over a WebSocket (no fallback) and resumes with lastSeq and epoch', async () => {
    const seq = await move(2);
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 });
    for (const [count, code] of [[2, 1012], [3, 1013]] as const) {
      const { page, server: up } = node.sockets.at(-1)!;
      await page.close({ code, reason: 'this node is going away' });
      await up.close();
      await until(`hello number ${count}`, () => node.hellos.length === count);
      assert.equal(node.hellos[count - 1]!.lastSeq, seq, `after ${code}: the last seq it had`);
      assert.equal(node.hellos[count - 1]!.epoch, EPOCH, `after ${code}: with the epoch it counts in`);
      await phone.locator('.ld-status[data-status="connected"][data-transport="websocket"]').waitFor({ state: 'attached', timeout: 20_000 });
    }
    assert.equal(node.sockets.length, 3, 'each reconnect was a WebSocket');
    // Closed before any welcome (every node restarting): still not a broken transport, so no SSE.
    node.closeOnHello.push(1012, 1012);
    const { page, server: up } = node.sockets.at(-1)!;
    await page.close({ code: 1012, reason: 'this node is going away' });
    await up.close();
    await until('two refused hellos and one that joined', () => node.hellos.length === 6);
    await phone.locator('.ld-status[data-status="connected"][data-transport="websocket"]').waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(node.sockets.length, 6, 'every attempt was a WebSocket');
    assert.equal(node.hellos[5]!.epoch, EPOCH);
    await move(1);
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 });
  });

  it('reloaded onto a node a moment behind (same epoch, lower seq), stays on the newer slide, then follows', async () => {
    const seq = await move(3);
    await waitForPosition(phone, { h: 3, v: 0, fragments: 0 });
    node.stale = { seq: seq - 1, deck: at(1) };
    const hellos = node.hellos.length;
    await phone.reload();
    await until('the reloaded page said hello', () => node.hellos.length > hellos);
    await phone.locator('.ld-status[data-status="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
    // The stale welcome has been applied or ignored by now; the slide must be the newer one.
    await new Promise((r) => setTimeout(r, 500));
    await waitForPosition(phone, { h: 3, v: 0, fragments: 0 });
    node.stale = null;
    await move(2);
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 });
    assert.deepEqual(errors, []);
  });
});
