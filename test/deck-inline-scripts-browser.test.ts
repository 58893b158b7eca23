/**
 * In Chromium: the deck's own inline scripts run on the deck pages (allowed by their hash in
 * the Content-Security-Policy, computed at load), while any other inline script stays blocked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

const DECK = `<section><h1>Scripted</h1>
<p id="target">not run</p>
<script>document.getElementById('target').textContent = 'deck script ran';</script>
</section>
<section><h2>Two</h2></section>`;

describe("in Chromium: the deck's own inline scripts", () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livedeck-scripts-'));
    await writeFile(join(dir, 'index.html'), DECK);
    server = await startTestServer({ deckPath: join(dir, 'index.html') });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('allows exactly their hashes on deck pages, not on the join form', async () => {
    const deckCsp = (await fetch(`http://127.0.0.1:${server.port}/j/${server.code}`)).headers.get('content-security-policy') ?? '';
    assert.match(deckCsp, /script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='(;|$)/);
    const joinCsp = (await fetch(`http://127.0.0.1:${server.port}/`)).headers.get('content-security-policy') ?? '';
    assert.match(joinCsp, /script-src 'self'(;|$)/);
  });

  it('runs them on the phone page, and a script added later with other text is refused', async () => {
    const context = await laptopContext(browser);
    try {
      const page = await context.newPage();
      const blocked: string[] = [];
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
      });
      await page.goto(`http://127.0.0.1:${server.port}/j/${server.code}`);
      await page.locator('#target', { hasText: 'deck script ran' }).waitFor({ timeout: 10_000 });
      const injected = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'document.body.dataset.injected = "ran";';
        document.body.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return document.body.dataset.injected ?? 'blocked';
      });
      assert.equal(injected, 'blocked');
      assert.ok(blocked.length >= 1, 'the refused script is reported as a CSP violation');
    } finally {
      await context.close();
    }
  });
});
