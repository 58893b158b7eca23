/**
 * In Chromium: every page works under the Content-Security-Policy with no violation, and a
 * phone whose socket is cut comes back by itself, sends lastSeq, and catches up.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Peer } from '../server/room/peer.ts';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

/** Collects CSP violations (reported in the page and on the console). */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return violations;
}

describe('in Chromium: pages under the Content-Security-Policy', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('load and connect with no CSP violation: join form, audience, screen, presenter', async () => {
    const violations: string[] = [];
    const errors: string[] = [];
    const open = async (url: string, mobile: boolean) => {
      const page = await (mobile ? await phoneContext(browser) : await laptopContext(browser)).newPage();
      const v = await watchCsp(page);
      errors.push(...watchErrors(page));
      await page.goto(url);
      return { page, v };
    };
    const join = await open(server.urls.base, true);
    await join.page.locator('input#code').fill(server.code);
    await join.page.locator('button[type=submit]').click();
    await join.page.locator('.ld-status[data-status="connected"]').waitFor();
    const presenter = await open(server.urls.presenter, false);
    await presenter.page.locator('.ld-status[data-status="connected"]').waitFor();
    const screen = await open(server.urls.screen, false);
    await screen.page.locator('body[data-status="connected"]').waitFor();
    await presenter.page.keyboard.press('ArrowRight');
    await waitForPosition(join.page, { h: 1, v: 0, fragments: 0 });
    for (const p of [join, presenter, screen]) violations.push(...p.v);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  });

  it('brings a cut phone back by itself, resuming from its lastSeq', async () => {
    const page = await (await phoneContext(browser)).newPage();
    const hellos: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes('"hello"') && hellos.push(f.payload)));
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'goto', state: { indexh: 2, indexv: 0, indexf: -1, paused: false, overview: false } });
    await waitForPosition(page, { h: 2, v: 0, fragments: 0 });
    // Cut every audience socket from the server side, then move while the phone is away.
    const peers = (server.relay as unknown as { peers: Set<Peer> }).peers;
    for (const peer of peers) if (peer.role === 'audience') peer.ws.terminate();
    presenter.send({ type: 'goto', state: { indexh: 3, indexv: 0, indexf: -1, paused: false, overview: false } });
    await waitForPosition(page, { h: 3, v: 0, fragments: 0 }, '.reveal', 15_000);
    assert.ok(hellos.length >= 2, 'it said hello again');
    assert.match(hellos.at(-1)!, /"lastSeq":\d+/);
    presenter.close();
  });
});
