/**
 * What following a talk costs a phone (part of `npm run bench:page`): the audience page under
 * Chromium's 4× CPU slowdown, measured with CDP Performance metrics while it sits idle on a slide,
 * while the presenter changes slides, and its JS heap after 200 changes; plus the WebSocket bytes
 * a phone receives per change. Printed figures, never assertions (docs/performance.md).
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { phoneContext } from '../test/support/browser.ts';
import { TestClient } from '../test/support/client.ts';

export interface PhoneCostOptions {
  cpuSlowdown: number;
  idleSeconds: number;
  /** Slide changes for the heap figure; the per-change times use the first `timedChanges` of them. */
  changes: number;
  timedChanges: number;
  /** Between timed changes: long enough for reveal.js's 0.8 s slide transition to end. */
  gapMs: number;
}

export interface PhoneCost {
  idle: { seconds: number; mainThreadMsPerMinute: number; percentOfCore: number; scriptMsPerMinute: number };
  change: {
    mainThreadMs: number;
    /** Message arrival to the end of the task that handled it (median, p95). */
    handledMs: [number, number];
    /** Message arrival to the end of the frame that drew the new slide (median, p95). */
    paintedMs: [number, number];
    wsBytes: number;
    deckFrameBytes: number;
  };
  heap: { beforeMb: number; afterMb: number; changes: number };
}

type Metrics = Record<string, number>;

/**
 * The changes cycle through four slides from here: in the demo deck slides 4–7 hold no poll (a
 * poll that opens on its slide unfolds the sheet and lays the slide out again, a cost of its own).
 */
const FIRST_PLAIN = 3;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/**
 * Times every deck message the page gets: a listener added when the socket is made runs before
 * the page's own onmessage, and a MessageChannel post from it runs after that task; one posted
 * from the next animation frame runs after the frame's style, layout and paint. Plain JavaScript
 * in a string: tsx would put its own helpers (__name) into a function passed to the page.
 */
const INSTRUMENT = `(() => {
  const times = [];
  window.ldTimes = times;
  const Native = window.WebSocket;
  const after = (fn) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { fn(); channel.port1.close(); };
    channel.port2.postMessage(null);
  };
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || !event.data.startsWith('{"type":"deck"')) return;
        const start = performance.now();
        const entry = { handled: NaN, painted: NaN };
        times.push(entry);
        after(() => { entry.handled = performance.now() - start; });
        requestAnimationFrame(() => after(() => { entry.painted = performance.now() - start; }));
      });
    }
  };
})();`;

export async function measurePhoneCost(server: RunningServer, browser: Browser, options: PhoneCostOptions): Promise<PhoneCost> {
  const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  const context = await phoneContext(browser);
  try {
    await context.addInitScript({ content: INSTRUMENT });
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let wsBytes = 0;
    let deckBytes = 0;
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e) => {
      const bytes = Buffer.byteLength(e.response.payloadData);
      wsBytes += bytes;
      if (e.response.payloadData.startsWith('{"type":"deck"')) deckBytes += bytes;
    });
    const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });
    presenter.send({ type: 'goto', state: at(FIRST_PLAIN) });
    await page.goto(server.urls.audience);
    await page.locator('.ld-status[data-status="connected"]').waitFor();
    // Fonts, the service worker and the status's "Back" settle before anything is counted.
    await sleep(5000);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuSlowdown });

    const idleStart = await metrics(cdp);
    await sleep(options.idleSeconds * 1000);
    const idleEnd = await metrics(cdp);
    const perMinute = (key: string) => (((idleEnd[key] ?? 0) - (idleStart[key] ?? 0)) * 1000 * 60) / options.idleSeconds;
    const idleMs = perMinute('TaskDuration');

    await cdp.send('HeapProfiler.collectGarbage');
    const heapBefore = (await metrics(cdp)).JSHeapUsedSize ?? 0;
    const bytesBefore = wsBytes;
    const deckBefore = deckBytes;
    const changeStart = await metrics(cdp);
    for (let i = 1; i <= options.timedChanges; i++) {
      presenter.send({ type: 'goto', state: at(FIRST_PLAIN + (i % 4)) });
      await sleep(options.gapMs);
    }
    const changeEnd = await metrics(cdp);
    const timedWs = wsBytes - bytesBefore;
    const timedDeck = deckBytes - deckBefore;
    // The rest of the changes for the heap, at the rate a presenter clicking fast through a deck would reach.
    for (let i = options.timedChanges + 1; i <= options.changes; i++) {
      presenter.send({ type: 'goto', state: at(FIRST_PLAIN + (i % 4)) });
      await sleep(100);
    }
    await sleep(2000);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfter = (await metrics(cdp)).JSHeapUsedSize ?? 0;
    const times = await page.evaluate(() => (window as unknown as { ldTimes: Array<{ handled: number; painted: number }> }).ldTimes);
    const timed = times.slice(0, options.timedChanges).filter((t) => Number.isFinite(t.painted));
    const mainThread = ((changeEnd.TaskDuration ?? 0) - (changeStart.TaskDuration ?? 0)) * 1000;
    return {
      idle: {
        seconds: options.idleSeconds,
        mainThreadMsPerMinute: idleMs,
        percentOfCore: idleMs / 600,
        scriptMsPerMinute: perMinute('ScriptDuration'),
      },
      change: {
        // Everything the page's main thread did for a change, transition frames included, less the idle share of the gap.
        mainThreadMs: mainThread / options.timedChanges - (idleMs / 60_000) * options.gapMs,
        handledMs: [quantile(timed.map((t) => t.handled), 0.5), quantile(timed.map((t) => t.handled), 0.95)],
        paintedMs: [quantile(timed.map((t) => t.painted), 0.5), quantile(timed.map((t) => t.painted), 0.95)],
        wsBytes: timedWs / options.timedChanges,
        deckFrameBytes: timedDeck / options.timedChanges,
      },
      heap: { beforeMb: heapBefore / 2 ** 20, afterMb: heapAfter / 2 ** 20, changes: options.changes },
    };
  } finally {
    await context.close();
    presenter.close();
  }
}

export function describePhoneCost(cost: PhoneCost, cpuSlowdown: number): string[] {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  return [
    `phone cost (audience page, Pixel 7 viewport, ${cpuSlowdown}× CPU slowdown):`,
    `  idle on a slide (${cost.idle.seconds} s): main thread ${f(cost.idle.mainThreadMsPerMinute)} ms per minute = ${f(cost.idle.percentOfCore, 2)} % of a core (script ${f(cost.idle.scriptMsPerMinute)} ms/min)`,
    `  per slide change: main thread ${f(cost.change.mainThreadMs)} ms (transition included); message to handled ${f(cost.change.handledMs[0])} ms median, ${f(cost.change.handledMs[1])} ms p95; to painted ${f(cost.change.paintedMs[0])} / ${f(cost.change.paintedMs[1])} ms`,
    `  bytes received per slide change: ${f(cost.change.wsBytes, 0)} B of WebSocket payload (the deck frame itself ${f(cost.change.deckFrameBytes, 0)} B)`,
    `  JS heap: ${f(cost.heap.beforeMb, 2)} MB before, ${f(cost.heap.afterMb, 2)} MB after ${cost.heap.changes} slide changes (after GC)`,
  ];
}
