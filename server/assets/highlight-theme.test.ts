import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadHighlightTheme } from './highlight-theme.ts';

describe('loadHighlightTheme', () => {
  it('serves monokai from reveal.js and other names from highlight.js, nested ones included', async () => {
    const monokai = await loadHighlightTheme('monokai');
    assert.equal(monokai?.served?.path, '/assets/hljs/monokai.css');
    assert.match(monokai?.served?.asset.body.toString() ?? '', /\.hljs/);
    const zenburn = await loadHighlightTheme('base16/zenburn');
    assert.equal(zenburn?.served?.path, '/assets/hljs/base16/zenburn.css');
    assert.match(zenburn?.url ?? '', /^\/assets\/hljs\/base16\/zenburn\.css\?v=[0-9a-f]{12}$/);
    assert.equal(zenburn?.warning, null);
    assert.equal((await loadHighlightTheme('atom-one-dark.css'))?.served?.path, '/assets/hljs/atom-one-dark.css');
  });

  it('falls back to monokai with a warning for an unknown name or one that tries to leave the styles folder', async () => {
    for (const name of ['no-such-style', '../../package', 'a/b/c']) {
      const theme = await loadHighlightTheme(name);
      assert.equal(theme?.served?.path, '/assets/hljs/monokai.css', name);
      assert.match(theme?.warning ?? '', /Unknown highlight theme/);
    }
  });

  it('links a style sheet beside the deck as it is, and nothing for a deck without code', async () => {
    assert.deepEqual(await loadHighlightTheme('/deck/code.css'), { url: '/deck/code.css', served: null, warning: null });
    assert.equal(await loadHighlightTheme(null), null);
  });
});
