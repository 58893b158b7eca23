import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RevealSetup } from '../deck/types.ts';
import { renderPage, scriptJson, type PageInput } from './pages.ts';

const NONE: RevealSetup = { options: {}, plugins: [], highlightTheme: null, themeCss: null, css: [], scripts: [] };

function page(overrides: Partial<PageInput> = {}): string {
  return renderPage({
    page: 'screen',
    title: 'T',
    code: 'ABC123',
    script: '/assets/screen.js?v=1',
    style: '/assets/screen.css?v=1',
    themeUrl: '/theme/black.css?v=1',
    deckHtml: '<section>x</section>',
    joinUrl: 'http://h/j/ABC123',
    reveal: NONE,
    highlightUrl: null,
    preloads: [],
    ...overrides,
  });
}

/** The JSON inside `<script type="application/json" id="ld-reveal">`, as a browser's parser would cut it. */
function embedded(html: string): string {
  const start = html.indexOf('<script type="application/json" id="ld-reveal">');
  const from = html.indexOf('>', start) + 1;
  return html.slice(from, html.indexOf('</script>', from));
}

describe('the page shell', () => {
  it("hands the deck's set-up to the page as JSON that no option can break out of", () => {
    const reveal: RevealSetup = { ...NONE, options: { title: '</script><script>alert(1)</script><!--', x: '\u2028' }, plugins: ['highlight'] };
    const html = page({ reveal });
    assert.equal(html.match(/<script/g)?.length, 2, 'only the set-up and the page script');
    assert.deepEqual(JSON.parse(embedded(html)), reveal);
    assert.equal(scriptJson({ a: '<' }), '{"a":"\\u003c"}');
  });

  it('links the named theme, or the deck\'s own theme file instead, then the highlight style and extra style sheets in order', () => {
    const links = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links(page()), ['/assets/screen.css?v=1', '/theme/black.css?v=1']);
    const reveal = { ...NONE, themeCss: '/deck/themes/rusty.css', css: ['/deck/a.css', '/deck/b.css'] };
    assert.deepEqual(links(page({ reveal, highlightUrl: '/assets/hljs/zenburn.css?v=2' })), [
      '/assets/screen.css?v=1',
      '/deck/themes/rusty.css',
      '/assets/hljs/zenburn.css?v=2',
      '/deck/a.css',
      '/deck/b.css',
    ]);
  });

  it('preloads the chunks the page script imports', () => {
    assert.match(page({ preloads: ['/assets/chunk-A.js'] }), /<link rel="modulepreload" href="\/assets\/chunk-A\.js">/);
  });
});
