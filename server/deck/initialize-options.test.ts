import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readInitializeCall } from './initialize-options.ts';

describe("an HTML deck's own Reveal.initialize", () => {
  it('keeps the JSON-literal options and maps the plugins it lists', () => {
    const call = readInitializeCall([
      'var x = 1;',
      `Reveal.initialize({
        controls: true, 'progress': false, width: 1280, margin: -0.1, transition: \`fade\`,
        keyboard: { 13: 'next' }, dependencies: [{ src: 'x.js' }],
        plugins: [RevealZoom, RevealNotes, RevealSearch, RevealMarkdown, RevealHighlight, RevealMath.KaTeX],
        keyboardCondition: function () { return true; }, parallaxBackgroundImage: base + 'x.png',
        menu: { side: 'left', open: openMenu },
      });`,
    ]);
    assert.deepEqual(call, {
      options: { controls: true, progress: false, width: 1280, margin: -0.1, transition: 'fade', keyboard: { 13: 'next' } },
      plugins: ['zoom', 'search', 'highlight', 'math'],
    });
  });

  it('reads a module script too, naming imported plugins by where they come from', () => {
    const call = readInitializeCall([`import Reveal from 'reveal.js';\nimport Zoom from 'reveal.js/plugin/zoom';\nimport Notes from 'reveal.js/plugin/notes';\nReveal.initialize({ hash: true, plugins: [Zoom, Notes] });`]);
    assert.deepEqual(call, { options: { hash: true }, plugins: ['zoom'] });
  });

  it('skips scripts that do not parse and finds none when there is no call', () => {
    assert.equal(readInitializeCall(['this is not { javascript', 'Reveal.configure({ a: 1 })']), null);
    assert.deepEqual(readInitializeCall(['oops(', 'Reveal.initialize()']), { options: {}, plugins: [] });
  });
});
