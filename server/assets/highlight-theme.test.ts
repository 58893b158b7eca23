import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadHighlightTheme } from './highlight-theme.ts';

describe('loadHighlightTheme', () => {
  it("serves a name from highlight.js as reveal-md does, monokai included, and reveal:monokai from reveal.js", async () => {
    const monokai = await loadHighlightTheme('monokai');
    assert.equal(monokai?.served?.path, '/assets/hljs/monokai.css');
    // highlight.js's monokai pads code blocks by 1em, reveal.js's own by 0.5em.
    assert.match(monokai?.served?.asset.body.toString() ?? '', /padding:\s*1em/);
    const reveals = await loadHighlightTheme('reveal:monokai');
    assert.equal(reveals?.served?.path, '/assets/hljs/reveal/monokai.css');
    assert.equal(reveals?.warning, null);
    assert.match(reveals?.served?.asset.body.toString() ?? '', /padding:\s*0\.5em/);
    assert.equal((await loadHighlightTheme('reveal:zenburn'))?.served?.path, '/assets/hljs/reveal/zenburn.css');
    // highlight.js 11 has only base16/zenburn: the bare name is reveal.js's file rather than no colours.
    assert.equal((await loadHighlightTheme('zenburn'))?.served?.path, '/assets/hljs/reveal/zenburn.css');
    const zenburn = await loadHighlightTheme('base16/zenburn');
    assert.equal(zenburn?.served?.path, '/assets/hljs/base16/zenburn.css');
    assert.match(zenburn?.url ?? '', /^\/assets\/hljs\/base16\/zenburn\.css\?v=[0-9a-f]{12}$/);
    assert.equal(zenburn?.warning, null);
    assert.equal((await loadHighlightTheme('atom-one-dark.css'))?.served?.path, '/assets/hljs/atom-one-dark.css');
  });

  it('falls back to monokai with a warning for an unknown name or one that tries to leave the styles folder', async () => {
    for (const name of ['no-such-style', '../../package', 'a/b/c', 'reveal:../../package']) {
      const theme = await loadHighlightTheme(name);
      assert.equal(theme?.served?.path, '/assets/hljs/reveal/monokai.css', name);
      assert.match(theme?.warning ?? '', /Unknown highlight theme/);
    }
  });

  it('links a style sheet beside the deck as it is, and nothing for a deck without code', async () => {
    assert.deepEqual(await loadHighlightTheme('/deck/code.css'), { url: '/deck/code.css', served: null, warning: null });
    assert.equal(await loadHighlightTheme(null), null);
  });
});
