import { execFileSync } from 'node:child_process';
import { chromium, devices, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { checkServerFrame } from './contract-check.ts';

/** Debian's Chromium; playwright never downloads a browser here. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr/bin/chromium';
  }
}

/**
 * Debian's Chromium, with every page's livedeck WebSocket watched: each frame the server sends
 * a page is checked against the protocol contract (contract-check.ts), as the Node clients' are.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  const browser = await launchChromium(extraArgs);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options?: BrowserContextOptions) => {
    const context = await newContext(options);
    context.on('page', watchPageSockets);
    return context;
  };
  return browser;
}

function watchPageSockets(page: Page): void {
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith('/ws')) return;
    ws.on('framereceived', ({ payload }) => {
      checkServerFrame(typeof payload === 'string' ? payload : payload.toString('utf8'), `a page at ${page.url()}`);
    });
  });
}

/** `extraArgs`: more Chromium switches, e.g. `--autoplay-policy=no-user-gesture-required` for media tests. */
function launchChromium(extraArgs: readonly string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** A phone-sized context (touch, mobile viewport) for the audience view. */
export function phoneContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const { defaultBrowserType: _ignored, ...pixel } = devices['Pixel 7']!;
  return browser.newContext({ ...pixel, ...options });
}

export function laptopContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
}

/** Collects page errors so a test can assert that nothing threw. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** The views of a talk a test usually drives together: the laptop console, an emulated phone, the projector. */
export interface RoomPages {
  presenter: Page;
  phone: Page;
  screen: Page;
}

/** Opens the three pages, not yet navigated, so a test can attach listeners before they load. */
export async function newRoomPages(browser: Browser): Promise<RoomPages> {
  return {
    presenter: await (await laptopContext(browser)).newPage(),
    phone: await (await phoneContext(browser)).newPage(),
    screen: await (await laptopContext(browser)).newPage(),
  };
}

/** Opens the talk's links in the three pages and waits until each says it is connected. */
export async function joinRoom(pages: RoomPages, urls: { presenter: string; audience: string; screen: string }): Promise<void> {
  await pages.presenter.goto(urls.presenter);
  await pages.phone.goto(urls.audience);
  await pages.screen.goto(urls.screen);
  for (const p of [pages.presenter, pages.phone]) await p.locator('.ld-status[data-status="connected"]').waitFor();
  await pages.screen.locator('body[data-status="connected"]').waitFor();
}
