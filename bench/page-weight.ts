/**
 * `npm run bench:page`: what a phone downloads before the first slide shows, and how long
 * that takes on a slow network. Chromium (Debian's, never downloaded) with CDP emulation:
 * 1.6 Mbps down, 750 kbps up, 300 ms RTT, 4× CPU slowdown, cold cache. Reports every
 * response (raw and transferred bytes) beside the time to the first visible slide, then what
 * following the talk costs the phone (bench/phone-cost.ts: idle and per-change main-thread time,
 * heap after many changes, bytes per change).
 *
 *   npm run bench:page                 (the bundled demo deck)
 *   npm run bench:page -- --deck test/fixtures/small.md --runs 3 --idle-seconds 60 --changes 200
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDeck } from '../server/deck/index.ts';
import { startServer } from '../server/start.ts';
import { launchBrowser, phoneContext } from '../test/support/browser.ts';
import { describePhoneCost, measurePhoneCost, type PhoneCost } from './phone-cost.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    deck: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '60' },
    changes: { type: 'string', default: '200' },
  },
});

const NETWORK = { offline: false, latency: 300, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const CPU_SLOWDOWN = 4;

interface Transfer {
  url: string;
  type: string;
  transferred: number;
  raw: number;
  /** Finished before the first slide was visible. */
  beforeFirstSlide: boolean;
}

const log = (line: string) => process.stderr.write(`[page] ${line}\n`);

async function main(): Promise<void> {
  const deck = await loadDeck(values.deck ?? fileURLToPath(new URL('../slides/', import.meta.url)));
  const server = await startServer({ deck, port: 0, host: '127.0.0.1', publicHost: '127.0.0.1' });
  const browser = await launchBrowser();
  const runs: Array<{ firstSlideMs: number; transfers: Transfer[] }> = [];
  let cost: PhoneCost;
  try {
    for (let run = 0; run < Number(values.runs); run++) {
      const context = await phoneContext(browser);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', NETWORK);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

      const requests = new Map<string, { url: string; type: string }>();
      const finished: Array<{ id: string; transferred: number; at: number }> = [];
      cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, { url: e.response.url, type: e.type }));
      cdp.on('Network.loadingFinished', (e) => finished.push({ id: e.requestId, transferred: e.encodedDataLength, at: Date.now() }));
      const bodies = new Map<string, number>();
      page.on('response', (r) => {
        void r.body().then(
          (b) => bodies.set(r.url(), b.length),
          () => undefined,
        );
      });

      const t0 = Date.now();
      await page.goto(server.urls.audience, { waitUntil: 'commit' });
      // The first slide is visible when reveal has laid out and the present section is shown.
      await page.waitForFunction(
        () => {
          const s = document.querySelector<HTMLElement>('.reveal.ready .slides > section.present');
          return !!s && getComputedStyle(s).visibility !== 'hidden' && s.getBoundingClientRect().height > 0;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      const firstAt = Date.now();
      const firstSlideMs = firstAt - t0;
      // Let the lazy font download finish so it is reported too.
      await page.waitForTimeout(4000);

      const transfers: Transfer[] = [];
      for (const f of finished) {
        const req = requests.get(f.id);
        if (!req || req.url.startsWith('data:') || req.type === 'WebSocket') continue;
        const raw = bodies.get(req.url) ?? 0;
        transfers.push({
          url: req.url.replace(server.urls.base, ''),
          type: req.type,
          transferred: f.transferred,
          raw,
          beforeFirstSlide: f.at <= firstAt,
        });
      }
      runs.push({ firstSlideMs, transfers });
      log(`run ${run + 1}: first slide visible after ${firstSlideMs} ms`);
      await context.close();
    }
    log(`phone cost: ${values['idle-seconds']} s idle, then ${values.changes} slide changes`);
    cost = await measurePhoneCost(server, browser, {
      cpuSlowdown: CPU_SLOWDOWN,
      idleSeconds: Number(values['idle-seconds']),
      changes: Number(values.changes),
      timedChanges: 30,
      gapMs: 1000,
    });
  } finally {
    await browser.close();
    await server.close();
  }

  const best = [...runs].sort((a, b) => a.firstSlideMs - b.firstSlideMs)[Math.floor(runs.length / 2)]!;
  const lines = [
    `first slide visible (median of ${runs.length}, 1.6 Mbps/300 ms RTT, ${CPU_SLOWDOWN}× CPU): ${best.firstSlideMs} ms  [${runs.map((r) => r.firstSlideMs).join(', ')}]`,
    '',
    `${'asset'.padEnd(48)} ${'raw'.padStart(9)} ${'gzip+hdr'.padStart(9)}  before first slide`,
  ];
  let jsCss = 0;
  let jsCssRaw = 0;
  for (const t of best.transfers) {
    lines.push(`${t.url.slice(0, 48).padEnd(48)} ${String(t.raw).padStart(9)} ${String(t.transferred).padStart(9)}  ${t.beforeFirstSlide ? 'yes' : 'no (lazy)'}`);
    if (t.beforeFirstSlide && (t.type === 'Script' || t.type === 'Stylesheet')) {
      jsCss += t.transferred;
      jsCssRaw += t.raw;
    }
  }
  lines.push('', `JS + CSS before the first slide: ${(jsCssRaw / 1024).toFixed(1)} KB raw, ${(jsCss / 1024).toFixed(1)} KB on the wire (gzip, incl. headers)`);
  lines.push('', ...describePhoneCost(cost, CPU_SLOWDOWN));
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const file = `${ROOT}bench/results/page-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ network: NETWORK, cpuSlowdown: CPU_SLOWDOWN, runs, jsCssKb: jsCss / 1024, phoneCost: cost }, null, 2));
  log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`page bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
