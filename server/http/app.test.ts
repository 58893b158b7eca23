import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { bundleAssets, toAsset } from '../assets/bundle.ts';
import { loadHighlightTheme } from '../assets/highlight-theme.ts';
import { loadTheme } from '../assets/themes.ts';
import { createApp } from './app.ts';

describe('createApp: bundles, plugin chunks, KaTeX, highlight styles, livedeck.js', () => {
  let app: Hono;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'livedeck-app-'));
    writeFileSync(join(dir, 'after.js'), 'window.ran = true;');
    const theme = await loadTheme('black');
    assert.ok(theme);
    app = createApp({
      code: 'ABC123',
      title: 'T',
      deckHtml: '<section>x</section>',
      deckDir: dir,
      dataDir: null,
      joinUrl: 'http://h/j/ABC123',
      assets: await bundleAssets(),
      theme,
      themeName: 'black',
      reveal: { options: {}, plugins: ['highlight'], highlightTheme: 'zenburn', themeCss: null, css: [], scripts: ['/deck/after.js'] },
      highlight: await loadHighlightTheme('zenburn'),
      qrSvg: '<svg/>',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves each page script whole, and the plugin chunks it imports on demand, hashed and cacheable for good', async () => {
    const { assets } = await bundleAssets();
    const highlight = [...assets.keys()].find((n) => /^highlight-[A-Z0-9]+\.js$/.test(n));
    assert.ok(highlight, 'a highlight chunk exists');
    // This deck has code: its pages fetch the highlight chunk alongside the page script, and only that one.
    const preloaded = async (path: string) =>
      [...(await (await app.request(path)).text()).matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.deepEqual(await preloaded('/j/ABC123'), [`/assets/${highlight}`]);
    assert.deepEqual(await preloaded('/moderator/ABC123'), []);
    assert.ok((assets.get(highlight)?.body.length ?? 0) > 500_000, 'highlight.js is in it');
    assert.ok((assets.get('audience.js')?.body.length ?? 0) < 300_000, 'and not in the page script');
    assert.match(assets.get('audience.js')?.body.toString() ?? '', new RegExp(`import\\("./${highlight}"\\)`), 'the page imports it on demand');
    const res = await app.request(`/assets/${highlight}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  });

  it('gzips an asset only when first asked, and only once', () => {
    const asset = toAsset(Buffer.from('x'.repeat(10_000)), 'text/plain');
    const first = asset.gzip();
    assert.ok(first.length < 1000);
    assert.equal(asset.gzip(), first, 'the same buffer, not compressed again');
    assert.equal(gunzipSync(first).toString(), 'x'.repeat(10_000));
  });

  it("serves KaTeX's dist folder and nothing beside it", async () => {
    const js = await app.request('/assets/katex/dist/katex.min.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await app.request('/assets/katex/dist/contrib/auto-render.min.js')).status, 200);
    assert.equal((await app.request('/assets/katex/dist/fonts/KaTeX_Main-Regular.woff2')).status, 200);
    // Read once and kept, so later requests get the very same bytes, gzipped when accepted.
    const zipped = await app.request('/assets/katex/dist/katex.min.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.equal(zipped.headers.get('cache-control'), 'public, max-age=86400');
    assert.deepEqual(gunzipSync(Buffer.from(await zipped.arrayBuffer())), Buffer.from(await js.arrayBuffer()));
    for (const bad of ['/assets/katex/dist/README.md', '/assets/katex/dist/..%2Fpackage.json', '/assets/katex/dist/../../package.json', '/assets/katex/package.json']) {
      assert.equal((await app.request(bad)).status, 404, bad);
    }
  });

  it('serves the highlight style the deck asked for, and no other', async () => {
    const res = await app.request('/assets/hljs/reveal/zenburn.css');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /\.hljs/);
    assert.equal((await app.request('/assets/hljs/monokai.css')).status, 404);
    assert.match(await (await app.request('/screen/ABC123')).text(), /href="\/assets\/hljs\/reveal\/zenburn\.css\?v=/);
  });

  it("serves livedeck.js, defining window.LiveDeck, and the deck's own scripts", async () => {
    const plugin = await app.request('/livedeck.js');
    assert.equal(plugin.status, 200);
    assert.match(plugin.headers.get('content-type') ?? '', /javascript/);
    assert.match(await plugin.text(), /LiveDeck/);
    const script = await app.request('/deck/after.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it("serves the phones' service worker, revalidated each time, and lets only this origin's workers run", async () => {
    const worker = await app.request('/audience-sw.js');
    assert.equal(worker.status, 200);
    assert.match(worker.headers.get('content-type') ?? '', /javascript/);
    assert.equal(worker.headers.get('cache-control'), 'no-cache');
    assert.match(await worker.text(), /livedeck-audience-1/);
    assert.match((await app.request('/j/ABC123')).headers.get('content-security-policy') ?? '', /worker-src 'self';/);
  });
});
