import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostAllowList } from '../security/hosts.ts';
import { waitSeconds, type JoinGuard } from '../security/join-guard.ts';
import { toAsset, type Asset, type Bundles, type Page } from '../assets/bundle.ts';
import type { HighlightTheme } from '../assets/highlight-theme.ts';
import { katexAsset } from '../assets/katex.ts';
import type { ThemeAsset } from '../assets/themes.ts';
import type { RevealSetup } from '../deck/types.ts';
import { normalizeJoinCode } from '../talk/secrets.ts';
import { openDeckFile } from './deck-files.ts';
import { fileResponse } from './file-response.ts';
import { renderJoinForm, renderPage } from './pages.ts';
import { securityHeaders } from './security-headers.ts';

export interface AppDeps {
  code: string;
  title: string;
  deckHtml: string;
  deckDir: string;
  /** The data directory, never served even when it sits inside the deck folder; null when in memory. */
  dataDir: string | null;
  joinUrl: string;
  assets: Bundles;
  theme: ThemeAsset;
  /** The deck's reveal.js set-up (options, plugins, extra style sheets and scripts). */
  reveal: RevealSetup;
  /** The highlight.js style for decks with code, null otherwise. */
  highlight: HighlightTheme | null;
  themeName: string;
  /** SVG of the QR code for joinUrl. */
  qrSvg: string;
  /** CSP hashes of the deck's own inline scripts (Deck.scriptHashes), allowed on deck pages. */
  deckScriptHashes?: readonly string[];
  /** Counts wrong join codes per address (shared with the WebSocket hello); none in unit tests. */
  joinGuard?: JoinGuard;
  /** The Host names this server answers to; only such a Host is written into the CSP (none: 'self' alone). */
  hosts?: HostAllowList;
}

/** Largest request body any route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The TCP peer address from @hono/node-server's env; 'unknown' under app.request() in tests. */
function remoteAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="12" y="2" rx="2" fill="#2a7ae2"/><circle cx="8" cy="8" r="3" fill="#fff"/></svg>';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a prebuilt asset, gzipped when the browser accepts it. The bytes go out as they are
 * (a view, not a copy): a room of phones loading the 150 KB bundle at doors-open would
 * otherwise copy it once per phone.
 */
function serveAsset(c: Context, asset: Asset, cacheControl = IMMUTABLE): Response {
  const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': cacheControl,
    vary: 'accept-encoding',
  };
  if (gzip) headers['content-encoding'] = 'gzip';
  // Buffers from Buffer.from and gzipSync sit on plain ArrayBuffers, as the type asks.
  return c.body((gzip ? asset.gzip() : asset.body) as Uint8Array<ArrayBuffer>, 200, headers);
}

/** The HTTP side: pages, bundles, theme, deck media, QR code. Built by a function so tests can call app.request(). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders({ hosts: deps.hosts ?? null, deckScriptHashes: deps.deckScriptHashes ?? [] }));
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('Request body too large.', 413) }));
  // A wrong join code counts against the address and its answer may be held back, as for a
  // wrong code in a WebSocket hello (JoinGuard); the right code is served at once, never checked.
  const wrongCode = async (c: Context): Promise<Response> => {
    const guard = deps.joinGuard;
    const notFound = () => c.html(renderJoinForm('No talk has that code. Check the screen and try again.'), 404);
    if (!guard) return notFound();
    const address = remoteAddress(c);
    const verdict = guard.judge(address);
    if (verdict.kind === 'refuse') return c.html(renderJoinForm(`Too many wrong join codes from your network. ${waitSeconds(verdict.retryMs)}`), 429);
    if (verdict.delayMs === 0) return notFound();
    // Unref: a held answer must not keep a stopping server alive.
    await sleep(verdict.delayMs, undefined, { ref: false });
    guard.release(address);
    return notFound();
  };
  const { assets, preloads, pluginChunks, plugin } = deps.assets;
  // The plugins the deck uses start downloading with the page script, not after it has run.
  const deckChunks = deps.reveal.plugins.flatMap((name) => pluginChunks.get(name) ?? []);
  const assetUrl = (name: string) => `/assets/${name}?v=${assets.get(name)?.hash ?? '0'}`;
  const themeUrl = `/theme/${deps.themeName}.css?v=${deps.theme.hash}`;
  // A theme that is a CSS file beside the deck replaces the named theme, fonts included.
  const fonts = deps.reveal.themeCss ? null : deps.theme.fonts;
  const fontsUrl = fonts ? `/theme/${deps.themeName}.fonts.css?v=${fonts.hash}` : null;

  // A page's HTML holds the whole deck and depends only on deps, so it is rendered and gzipped
  // once: a room of phones loading it at doors-open costs a lookup each, and a deck of 50 KB
  // of HTML reaches a phone on venue Wi-Fi as a fraction of that.
  const rendered = new Map<Page, Asset>();
  const renderedPage = (which: Page): Asset => {
    let entry = rendered.get(which);
    if (!entry) {
      const html = renderPage({
        page: which,
        title: deps.title,
        code: deps.code,
        script: assetUrl(`${which}.js`),
        style: assetUrl(`${which}.css`),
        themeUrl,
        fontsUrl,
        deckHtml: deps.deckHtml,
        joinUrl: deps.joinUrl,
        reveal: deps.reveal,
        highlightUrl: deps.highlight?.url ?? null,
        // Chunk names carry their content hash already, so they need no ?v=.
        preloads: [...(preloads.get(`${which}.js`) ?? []), ...(which === 'moderator' ? [] : deckChunks)].map((name) => `/assets/${name}`),
      });
      entry = toAsset(Buffer.from(html), 'text/html; charset=UTF-8');
      rendered.set(which, entry);
    }
    return entry;
  };

  const page = (which: Page) => (c: Context) => {
    const code = normalizeJoinCode(c.req.param('code') ?? '');
    if (code !== deps.code) return wrongCode(c);
    // no-store: the page carries the deck and this run's bundle hashes, which a restart may change.
    return serveAsset(c, renderedPage(which), 'no-store');
  };

  app.get('/', (c) => c.html(renderJoinForm(null)));
  app.get('/join', (c) => {
    const code = normalizeJoinCode(c.req.query('code') ?? '');
    if (code !== deps.code) return wrongCode(c);
    return c.redirect(`/j/${code}`, 303);
  });
  app.get('/j/:code', page('audience'));
  app.get('/screen/:code', page('screen'));
  app.get('/presenter/:code', page('presenter'));
  app.get('/moderator/:code', page('moderator'));
  app.get('/remote/:code', page('remote'));

  // Page bundles and their chunks (a chunk's name holds its hash, a bundle's URL has ?v=hash).
  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    return asset ? serveAsset(c, asset) : c.notFound();
  });
  const highlight = deps.highlight?.served;
  app.get('/assets/hljs/*', (c) => (highlight && c.req.path === highlight.path ? serveAsset(c, highlight.asset) : c.notFound()));
  app.get('/assets/katex/dist/*', async (c) => {
    const asset = await katexAsset(c.req.path.slice('/assets/katex/dist/'.length));
    return asset ? serveAsset(c, asset, 'public, max-age=86400') : c.notFound();
  });
  // The LiveDeck plugin for decks hosted elsewhere: a fixed URL that pages elsewhere link to, so
  // it is revalidated rather than cached for good.
  app.get('/livedeck.js', (c) => serveAsset(c, plugin, 'no-cache'));
  // The phones' service worker: revalidated on every check, so a new release reaches phones at once.
  app.get('/audience-sw.js', (c) => serveAsset(c, deps.assets.serviceWorker, 'no-cache'));
  app.get('/theme/:name', (c) => {
    const name = c.req.param('name');
    if (name === `${deps.themeName}.css`) return serveAsset(c, deps.theme);
    if (fonts && name === `${deps.themeName}.fonts.css`) return serveAsset(c, fonts);
    return c.notFound();
  });
  app.get('/qr.svg', (c) => c.body(deps.qrSvg, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-cache' }));
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));

  const deckFolder = { root: deps.deckDir, dataDir: deps.dataDir };
  app.get('/deck/*', async (c) => {
    const file = await openDeckFile(deckFolder, c.req.path.slice('/deck/'.length));
    if (!file) return c.notFound();
    // Short max-age, then revalidation by ETag: the speaker may replace a picture mid-talk.
    return fileResponse({ method: c.req.method, header: (name) => c.req.header(name) }, file, 'public, max-age=300');
  });

  return app;
}
