import { Hono, type Context } from 'hono';
import type { Asset, Assets, Page } from '../assets/bundle.ts';
import { normalizeJoinCode } from '../talk/secrets.ts';
import { readDeckFile } from './deck-files.ts';
import { renderJoinForm, renderPage } from './pages.ts';

export interface AppDeps {
  code: string;
  title: string;
  deckHtml: string;
  deckDir: string;
  joinUrl: string;
  assets: Assets;
  theme: Asset;
  themeName: string;
  /** SVG of the QR code for joinUrl. */
  qrSvg: string;
}

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="12" y="2" rx="2" fill="#2a7ae2"/><circle cx="8" cy="8" r="3" fill="#fff"/></svg>';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Serves a prebuilt asset, gzipped when the browser accepts it. */
function serveAsset(c: Context, asset: Asset): Response {
  const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': IMMUTABLE,
    vary: 'accept-encoding',
  };
  if (gzip) headers['content-encoding'] = 'gzip';
  return c.body(new Uint8Array(gzip ? asset.gzip : asset.body), 200, headers);
}

/** The HTTP side: pages, bundles, theme, deck media, QR code. Built by a function so tests can call app.request(). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const assetUrl = (name: string) => `/assets/${name}?v=${deps.assets.get(name)?.hash ?? '0'}`;
  const themeUrl = `/theme/${deps.themeName}.css?v=${deps.theme.hash}`;

  const page = (which: Page) => (c: Context) => {
    if (normalizeJoinCode(c.req.param('code') ?? '') !== deps.code) {
      return c.html(renderJoinForm('No talk has that code. Check the screen and try again.'), 404);
    }
    c.header('cache-control', 'no-store');
    return c.html(
      renderPage({
        page: which,
        title: deps.title,
        code: deps.code,
        script: assetUrl(`${which}.js`),
        style: assetUrl(`${which}.css`),
        themeUrl,
        deckHtml: deps.deckHtml,
        joinUrl: deps.joinUrl,
      }),
    );
  };

  app.get('/', (c) => c.html(renderJoinForm(null)));
  app.get('/join', (c) => {
    const code = normalizeJoinCode(c.req.query('code') ?? '');
    if (code !== deps.code) return c.html(renderJoinForm('No talk has that code. Check the screen and try again.'), 404);
    return c.redirect(`/j/${code}`, 303);
  });
  app.get('/j/:code', page('audience'));
  app.get('/screen/:code', page('screen'));
  app.get('/presenter/:code', page('presenter'));

  app.get('/assets/:name', (c) => {
    const asset = deps.assets.get(c.req.param('name'));
    return asset ? serveAsset(c, asset) : c.notFound();
  });
  app.get('/theme/:name', (c) => (c.req.param('name') === `${deps.themeName}.css` ? serveAsset(c, deps.theme) : c.notFound()));
  app.get('/qr.svg', (c) => c.body(deps.qrSvg, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-cache' }));
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/deck/*', async (c) => {
    const file = await readDeckFile(deps.deckDir, c.req.path.slice('/deck/'.length));
    if (!file) return c.notFound();
    return c.body(new Uint8Array(file.body), 200, { 'content-type': file.contentType, 'cache-control': 'public, max-age=300' });
  });

  return app;
}
