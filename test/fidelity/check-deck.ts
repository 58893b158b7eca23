/**
 * One deck through livedeck and through plain reveal.js, side by side in Chromium:
 * the presenter console steps through every slide and fragment (Space, as a clicker does), the
 * screen view and a phone must follow every step, the steps must be the ones reveal.js itself
 * takes through the deck, the console's notes must belong to the slide on screen, and each slide
 * (on arrival and with its last fragment shown) must look as reveal.js shows it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadDeck } from '../../server/deck/index.ts';
import { startServer, type RunningServer } from '../../server/start.ts';
import { laptopContext, phoneContext } from '../support/browser.ts';
import { comparePngs, saveDiff } from './pixels.ts';
import { positionLabel, readPosition, samePosition, waitForPosition, type Position } from './positions.ts';
import { REVEAL_DIR, startReference, type Reference, type ReferenceOptions } from './reference.ts';

export const VIEWPORT = { width: 1280, height: 720 } as const;
/** The issue's bar: at most this share of pixels may differ on any slide. */
export const MAX_DIFF_PERCENT = 2;

/** One feature of a slide, looked up in the screen view's present slide when the walk arrives there. */
export interface SlideCheck {
  /** What it shows, e.g. "math is typeset by KaTeX". */
  name: string;
  h: number;
  v: number;
  /** A selector inside the slide; `&` is the slide's own <section>. */
  selector: string;
  /** How many elements must match (default: at least one). */
  count?: number;
  /** Text the first match must contain. */
  text?: string;
  /** Attributes the first match must have, with these values. */
  attributes?: Record<string, string>;
}

export interface DeckCheckOptions extends ReferenceOptions {
  /**
   * For Markdown decks: run reveal-md's page on livedeck's reveal.js 6 instead of the reveal.js
   * 5.x reveal-md bundles, to tell livedeck's own differences from the two versions' (themes).
   */
  revealMdOnReveal6?: boolean;
  /** Extra style sheets beside the deck, given to both livedeck and reveal-md (`--css`). */
  css?: readonly string[];
  /** Feature checks on the screen view (see SlideCheck). */
  checks?: readonly SlideCheck[];
  deckPath: string;
  browser: Browser;
  /** Where the screenshots and diff of each slide over the limit are written. */
  diffDir: string;
  /** Compare screenshots (default true); the sync walk always runs. */
  compare?: boolean;
  /** A deck longer than this many steps is cut short (and says so). */
  maxSteps?: number;
}

export interface SlideDiff {
  position: Position;
  percent: number;
  /** The diff image, written when the slide is over MAX_DIFF_PERCENT. */
  diffPath?: string;
}

export interface DeckReport {
  deck: string;
  /** Which renderer drew the reference, with its reveal.js version. */
  renderer: string;
  /** The positions reveal.js goes through with next(), from the first slide to the last. */
  referenceSteps: Position[];
  /** The positions the livedeck console showed, step by step. */
  consoleSteps: Position[];
  /** Where the console's steps differ from reveal.js's. */
  stepMismatches: string[];
  /** Steps after which the screen or the phone was not where the console was. */
  followMismatches: string[];
  /** `error` frames the server sent to any page (a refused move is one). */
  refused: string[];
  /** Page errors and console errors on the livedeck pages. */
  pageErrors: string[];
  /** What livedeck's Content-Security-Policy blocked on its pages (the deck's own scripts, assets). */
  blocked: string[];
  /** Outside URLs the livedeck pages tried to load (this machine is offline; they fail). */
  offline: Set<string>;
  /** Slides whose console notes differ from the notes reveal.js has for that slide. */
  notesMismatches: string[];
  slides: SlideDiff[];
  /** SlideCheck names that failed, each with what the screen showed instead. */
  checkFailures: string[];
  /** Distinct slides reveal.js shows. */
  slideCount: number;
  seconds: number;
}

/**
 * Applied to both pages for the comparison only. Transitions and animations are stopped so a
 * screenshot shows where a slide ends up. reveal.js's chrome (controls, progress bar, slide
 * number) is hidden on both sides: each host page sets it (reveal-md turns controls and the
 * number on by default, livedeck's projector turns controls off), it is not part of a slide.
 * Frames from other hosts are hidden on both sides: offline they show an error page, drawn or
 * not depending on when a frame gives up, which says nothing about either renderer.
 */
const COMPARE_CSS = `
*, *::before, *::after { transition: none !important; animation-duration: 0s !important; animation-delay: 0s !important; caret-color: transparent !important; }
.reveal .controls, .reveal .progress, .reveal .slide-number { display: none !important; }
iframe[src^="https:"], iframe[src^="http:"]:not([src^="http://127.0.0.1"]) { visibility: hidden !important; }
`;
/**
 * livedeck's own overlays on the projector (reaction bubbles, the highlighted question card,
 * poll feedback, the join corner) sit beside `.reveal`, not in a slide: hidden for the comparison only.
 */
const SCREEN_OVERLAYS_CSS = 'body > :not(.reveal) { display: none !important; }';

/**
 * This machine is offline. Every outside request (a deck's images, frames, videos on other hosts)
 * gets the same empty answer on both sides, so both render the same hole where it would be
 * (a failed load draws differently in an <iframe> depending on how it failed).
 */
const OUTSIDE_STUB = { status: 404, contentType: 'text/plain', body: '' } as const;

const KATEX_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/katex');

/**
 * The reference page runs offline like livedeck does. reveal's math plugin fetches KaTeX from a
 * CDN: those requests are answered from node_modules/katex. reveal-md's template uses the math
 * plugin's MathJax 2 default, which is CDN-only; it is switched to the same plugin's KaTeX mode so
 * both sides typeset with KaTeX (livedeck bundles KaTeX). Every other outside request gets OUTSIDE_STUB.
 */
async function offlineReference(context: BrowserContext, reference: Reference, onReveal6: boolean): Promise<void> {
  await context.route(/^https?:\/\//, async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && onReveal6 && reference.renderer === 'reveal-md') {
      // reveal.js 6 keeps plugins in dist/plugin/<name>.js where 5.x had plugin/<name>/<name>.js.
      const plugin = /^\/plugin\/(\w+)\/\1\.js$/.exec(url.pathname);
      const file = plugin ? `dist/plugin/${plugin[1]}.js` : url.pathname.startsWith('/dist/') ? url.pathname.slice(1) : null;
      if (file) {
        let body = await readFile(path.join(REVEAL_DIR, file), 'utf8');
        if (plugin?.[1] === 'math') body += '\nRevealMath = RevealMath.KaTeX;\n';
        await route.fulfill({ body, contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
        return;
      }
    }
    if (url.hostname === '127.0.0.1') {
      if (reference.renderer === 'reveal-md' && url.pathname === '/plugin/math/math.js') {
        const response = await route.fetch();
        const body = (await response.text()) + '\nRevealMath = RevealMath.KaTeX;\n';
        await route.fulfill({ response, body });
        return;
      }
      await route.continue();
      return;
    }
    const katex = /^\/npm\/katex(?:@[^/]*)?\/(dist\/.+)$/.exec(url.pathname);
    if (url.hostname === 'cdn.jsdelivr.net' && katex) {
      try {
        const file = path.join(KATEX_DIR, katex[1]!);
        const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'font/woff2';
        await route.fulfill({ body: await readFile(file), contentType: type });
      } catch (err) {
        await route.fulfill({ status: 404, body: String(err) });
      }
      return;
    }
    await route.fulfill(OUTSIDE_STUB);
  });
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(
      Array.from(document.images)
        .filter((img) => !img.complete)
        .map(
          (img) =>
            new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
            }),
        ),
    );
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    // reveal's highlight plugin scrolls a code block to the lines of a step, over a few frames.
    for (let i = 0, last = ''; i < 60; i++) {
      const now = Array.from(document.querySelectorAll('.reveal .slides section.present pre'))
        .map((p) => p.scrollTop)
        .join();
      if (i > 1 && now === last) break;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Auto-animate moves elements for about a second after the slide changes: wait until they stand still.
    for (let i = 0, last = ''; i < 40 && document.querySelector('.reveal .slides section.present[data-auto-animate]'); i++) {
      const now = Array.from(document.querySelectorAll('.reveal .slides section.present [data-auto-animate-target]'))
        .map((e) => JSON.stringify(e.getBoundingClientRect()))
        .join();
      if (i > 1 && now === last) break;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/** Steps reveal.js itself takes through the deck with next(), and each slide's notes. */
async function referenceWalk(page: Page, maxSteps: number): Promise<{ steps: Position[]; notes: Record<string, string> }> {
  return page.evaluate((max) => {
    type R = {
      slide(h: number, v: number, f?: number): void;
      next(): void;
      getState(): { indexh: number; indexv?: number; indexf?: number };
      getCurrentSlide(): HTMLElement;
    };
    const reveal = (window as unknown as { Reveal: R }).Reveal;
    const read = () => {
      const s = reveal.getState();
      return { h: s.indexh, v: s.indexv ?? 0, f: typeof s.indexf === 'number' ? s.indexf : -1 };
    };
    const notesOf = (slide: HTMLElement) => {
      const aside = Array.from(slide.querySelectorAll('aside.notes'))
        .map((n) => n.textContent ?? '')
        .join('\n');
      return (slide.getAttribute('data-notes') ?? aside).replace(/\s+/g, ' ').trim();
    };
    reveal.slide(0, 0, -1);
    const steps = [read()];
    const notes: Record<string, string> = {};
    notes['0/0'] = notesOf(reveal.getCurrentSlide());
    while (steps.length < max) {
      reveal.next();
      const p = read();
      const prev = steps[steps.length - 1]!;
      if (p.h === prev.h && p.v === prev.v && p.f === prev.f) break;
      steps.push(p);
      notes[`${p.h}/${p.v}`] = notesOf(reveal.getCurrentSlide());
    }
    return { steps, notes };
  }, maxSteps);
}

async function gotoReference(page: Page, p: Position): Promise<void> {
  await page.evaluate(
    ({ h, v, f }) => (window as unknown as { Reveal: { slide(h: number, v: number, f: number): void } }).Reveal.slide(h, v, f),
    p,
  );
}

function watchPage(page: Page, role: string, report: Pick<DeckReport, 'refused' | 'pageErrors' | 'blocked' | 'offline'>): void {
  page.on('pageerror', (err) => report.pageErrors.push(`${role}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const from = msg.location().url;
    // This machine is offline: a deck's images or frames on other hosts fail to load here,
    // which says nothing about livedeck. They are reported apart (the speaker is told at start).
    if (from && !from.startsWith('http://127.0.0.1')) report.offline.add(from);
    else if (msg.text().includes('Content Security Policy')) report.blocked.push(`${role}: ${msg.text()}`);
    else report.pageErrors.push(`${role}: console: ${msg.text()}${from ? ` (${from})` : ''}`);
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"error"')) return;
      const message = JSON.parse(payload) as { type?: string; code?: string; message?: string };
      if (message.type === 'error') report.refused.push(`${role}: ${message.code}: ${message.message}`);
    });
  });
}

async function consoleNotes(page: Page): Promise<string> {
  return page.locator('.ld-notes-text').evaluate((n) => (n.classList.contains('ld-empty') ? '' : (n.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

const CURRENT = '.ld-current .reveal';

/** Runs a check in the page's present slide; null when it holds, else what was found. */
function runCheck(page: Page, check: SlideCheck): Promise<string | null> {
  return page.evaluate((c) => {
    const slide = Array.from(document.querySelectorAll('.reveal .slides section.present')).find((s) => !s.querySelector('section'));
    if (!slide) return 'no present slide';
    const found = c.selector === '&' ? [slide] : Array.from(slide.querySelectorAll(c.selector));
    if (c.count !== undefined ? found.length !== c.count : found.length === 0) return `${found.length} × ${c.selector}`;
    const first = found[0]!;
    if (c.text !== undefined && !(first.textContent ?? '').includes(c.text)) return `text ${JSON.stringify((first.textContent ?? '').trim().slice(0, 80))}`;
    for (const [name, value] of Object.entries(c.attributes ?? {})) {
      if (first.getAttribute(name) !== value) return `${name}=${JSON.stringify(first.getAttribute(name))}`;
    }
    return null;
  }, check);
}

export async function checkDeck(options: DeckCheckOptions): Promise<DeckReport> {
  const started = Date.now();
  const { browser, deckPath, diffDir } = options;
  const compare = options.compare ?? true;
  const maxSteps = options.maxSteps ?? 600;
  const name = path.basename(deckPath);
  const css = options.css ?? [];
  const reference = await startReference(deckPath, {
    revealMdArgs: [...(options.revealMdArgs ?? []), ...(css.length ? ['--css', css.join(',')] : [])],
  });
  const report: DeckReport = {
    deck: name,
    renderer: options.revealMdOnReveal6 && reference.renderer === 'reveal-md' ? 'reveal-md on' : reference.renderer,
    referenceSteps: [],
    consoleSteps: [],
    stepMismatches: [],
    followMismatches: [],
    refused: [],
    pageErrors: [],
    blocked: [],
    offline: new Set(),
    notesMismatches: [],
    slides: [],
    checkFailures: [],
    slideCount: 0,
    seconds: 0,
  };
  let server: RunningServer | undefined;
  const contexts: BrowserContext[] = [];
  try {
    const refContext = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(refContext);
    await offlineReference(refContext, reference, options.revealMdOnReveal6 ?? false);
    // tsx compiles the functions handed to page.evaluate with esbuild's keepNames, which calls a
    // `__name` helper that exists only in Node; the page gets a no-op one.
    await refContext.addInitScript('window.__name = (f) => f;');
    const ref = await refContext.newPage();
    await ref.goto(reference.url);
    await ref.waitForFunction(() => (window as unknown as { Reveal?: { isReady?(): boolean } }).Reveal?.isReady?.() === true, null, { timeout: 20_000 });
    await ref.addStyleTag({ content: COMPARE_CSS });
    // The reference jumps from slide to slide; an auto-animate move caught mid-way is not what
    // the slide looks like. Only the way there changes, not where a slide ends up.
    await ref.evaluate(() => (window as unknown as { Reveal: { configure(o: object): void } }).Reveal.configure({ autoAnimate: false }));
    report.renderer += ` ${await ref.evaluate(() => (window as unknown as { Reveal: { VERSION?: string } }).Reveal.VERSION ?? '?')}`;
    const walk = await referenceWalk(ref, maxSteps);
    report.referenceSteps = walk.steps;
    report.slideCount = new Set(walk.steps.map((p) => `${p.h}/${p.v}`)).size;
    if (walk.steps.length >= maxSteps) report.stepMismatches.push(`cut short after ${maxSteps} steps`);

    server = await startServer({ port: 0, host: '127.0.0.1', publicHost: '127.0.0.1', deck: await loadDeck(deckPath, { css }) });
    const consoleContext = await laptopContext(browser);
    const screenContext = await browser.newContext({ viewport: VIEWPORT });
    const phoneCtx = await phoneContext(browser);
    contexts.push(consoleContext, screenContext, phoneCtx);
    for (const c of [consoleContext, screenContext, phoneCtx]) {
      await c.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.fulfill(OUTSIDE_STUB));
    }
    const [presenter, screen, phone] = await Promise.all([consoleContext.newPage(), screenContext.newPage(), phoneCtx.newPage()]);
    watchPage(presenter, 'console', report);
    watchPage(screen, 'screen', report);
    watchPage(phone, 'phone', report);
    await Promise.all([presenter.goto(server.urls.presenter), screen.goto(server.urls.screen), phone.goto(server.urls.audience)]);
    await presenter.locator('.ld-status[data-status="connected"]').waitFor({ timeout: 20_000 });
    await phone.locator('.ld-status[data-status="connected"]').waitFor({ timeout: 20_000 });
    await screen.locator('body[data-status="connected"]').waitFor({ timeout: 20_000 });
    await screen.addStyleTag({ content: COMPARE_CSS + SCREEN_OVERLAYS_CSS });

    const steps = walk.steps;
    const checked = new Set<SlideCheck>();
    for (let k = 0; k < steps.length; k++) {
      const expected = steps[k]!;
      if (k > 0) await presenter.keyboard.press('Space');
      const shown = await waitForPosition(presenter, expected, CURRENT);
      if (shown) report.consoleSteps.push(shown);
      if (!samePosition(shown, expected)) {
        report.stepMismatches.push(
          `step ${k}: reveal.js shows ${positionLabel(expected)}, the console ${shown ? positionLabel(shown) : 'nothing'}`,
        );
        break;
      }
      for (const [role, page] of [['screen', screen], ['phone', phone]] as const) {
        const at = await waitForPosition(page, expected);
        if (!samePosition(at, expected)) {
          report.followMismatches.push(`step ${k}: console on ${positionLabel(expected)}, ${role} on ${at ? positionLabel(at) : 'nothing'}`);
        }
      }
      const previous = steps[k - 1];
      const next = steps[k + 1];
      const arrived = !previous || previous.h !== expected.h || previous.v !== expected.v;
      const leaving = !next || next.h !== expected.h || next.v !== expected.v;
      if (arrived) {
        for (const check of options.checks ?? []) {
          if (check.h !== expected.h || check.v !== expected.v) continue;
          checked.add(check);
          const failure = await runCheck(screen, check);
          if (failure) report.checkFailures.push(`${check.name} (slide ${positionLabel({ ...expected, f: -1 })}): ${failure}`);
        }
        const notes = await consoleNotes(presenter);
        const want = walk.notes[`${expected.h}/${expected.v}`] ?? '';
        if (notes !== want) report.notesMismatches.push(`${positionLabel(expected)}: console shows ${JSON.stringify(notes)}, reveal.js has ${JSON.stringify(want)}`);
      }
      if (compare && (arrived || leaving)) {
        await gotoReference(ref, expected);
        await Promise.all([settle(ref), settle(screen)]);
        const [mine, theirs] = await Promise.all([screen.screenshot(), ref.screenshot()]);
        const diff = comparePngs(mine, theirs);
        const slide: SlideDiff = { position: expected, percent: diff.percent };
        if (diff.percent > MAX_DIFF_PERCENT) {
          slide.diffPath = await saveDiff(path.join(diffDir, name), positionLabel(expected), mine, theirs, diff.diffPng);
        }
        report.slides.push(slide);
      }
    }
    for (const check of options.checks ?? []) {
      if (!checked.has(check)) report.checkFailures.push(`${check.name} (slide ${positionLabel({ h: check.h, v: check.v, f: -1 })}): the walk never arrived there`);
    }
    if (report.stepMismatches.length === 0) {
      // One more press at the end: livedeck must not have steps reveal.js does not.
      const last = steps[steps.length - 1]!;
      await presenter.keyboard.press('Space');
      await presenter.waitForTimeout(300);
      const after = await readPosition(presenter, CURRENT);
      if (!samePosition(after, last)) report.stepMismatches.push(`after reveal.js's last step ${positionLabel(last)} the console went on to ${after ? positionLabel(after) : 'nothing'}`);
    }
  } finally {
    for (const c of contexts) await c.close();
    await server?.close();
    await reference.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** `demo.html: worst 3.2 f1 1.8 %, 7 1.1 %, 12 0.4 %` (the n worst slides, highest first). */
export function worstSlides(report: DeckReport, n = 5): string {
  const worst = [...report.slides].sort((a, b) => b.percent - a.percent).slice(0, n);
  return `${report.deck}: worst ${worst.map((s) => `${positionLabel(s.position)} ${s.percent.toFixed(1)} %`).join(', ') || '(no slides compared)'}`;
}

export function summary(report: DeckReport): string {
  const over = report.slides.filter((s) => s.percent > MAX_DIFF_PERCENT);
  return [
    `${report.deck} (${report.renderer}): ${report.slideCount} slides, ${report.referenceSteps.length} steps in reveal.js, ${report.consoleSteps.length} walked on the console, ${report.seconds.toFixed(1)} s`,
    `  refused moves: ${report.refused.length}; follow mismatches: ${report.followMismatches.length}; step mismatches: ${report.stepMismatches.length}; notes mismatches: ${report.notesMismatches.length}; page errors: ${report.pageErrors.length}; blocked by CSP: ${report.blocked.length}; failed feature checks: ${report.checkFailures.length}`,
    `  ${worstSlides(report)}`,
    ...(report.offline.size ? [`  outside URLs (not loaded, offline): ${[...report.offline].slice(0, 5).join(' ')}${report.offline.size > 5 ? ' …' : ''}`] : []),
    ...over.map((s) => `  over ${MAX_DIFF_PERCENT} %: ${positionLabel(s.position)} ${s.percent.toFixed(1)} % → ${s.diffPath}`),
    ...[...report.checkFailures, ...report.stepMismatches, ...report.followMismatches, ...report.refused, ...report.notesMismatches, ...report.pageErrors, ...new Set(report.blocked)]
      .slice(0, 12)
      .map((m) => `  ${m}`),
  ].join('\n');
}
