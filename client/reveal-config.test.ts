import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KATEX_LOCAL, parseRevealSetup, revealConfig } from './reveal-config.ts';

const SCREEN = { defaults: { controls: false, progress: true }, forced: { keyboard: false, autoSlide: 0 } };

describe('revealConfig', () => {
  it("lets the deck's options win over livedeck's and the page's defaults", () => {
    const config = revealConfig({ controls: true, progress: false, transition: 'fade', width: 800, slideNumber: 'c/t', center: false }, SCREEN);
    assert.equal(config.controls, true);
    assert.equal(config.progress, false);
    assert.equal(config.transition, 'fade');
    assert.equal(config.width, 800);
    assert.equal(config.slideNumber, 'c/t');
    assert.equal(config.center, false);
  });

  it("keeps the page's rules and livedeck's own settings whatever the deck says", () => {
    const config = revealConfig(
      { keyboard: true, autoSlide: 5000, hash: true, history: true, fragmentInURL: true, respondToHashChanges: true, view: 'scroll', shuffle: true, showNotes: true, scrollActivationWidth: 500 },
      SCREEN,
    );
    assert.equal(config.keyboard, false);
    assert.equal(config.autoSlide, 0);
    for (const key of ['hash', 'history', 'fragmentInURL', 'respondToHashChanges', 'shuffle', 'showNotes'] as const) assert.equal(config[key], false, key);
    assert.equal(config.view, null);
    assert.equal(config.scrollActivationWidth, 0);
  });

  it('loads KaTeX from livedeck, keeping the deck\'s other KaTeX options, and ignores plugins named in JSON', () => {
    const config = revealConfig({ katex: { local: 'https://cdn.example/katex', trust: true }, plugins: ['RevealHighlight'], dependencies: [] }, SCREEN);
    assert.deepEqual(config.katex, { local: KATEX_LOCAL, trust: true });
    assert.equal(config.plugins, undefined);
    assert.equal((config as Record<string, unknown>).dependencies, undefined);
  });
});

describe('parseRevealSetup', () => {
  it('reads what the server wrote', () => {
    const setup = { options: { controls: true }, plugins: ['highlight', 'math'], highlightTheme: 'zenburn', themeCss: '/deck/t.css', css: ['/deck/a.css'], scripts: ['/deck/a.js'] };
    assert.deepEqual(parseRevealSetup(JSON.stringify(setup)), setup);
  });

  it('falls back to no set-up for a missing element, broken JSON or wrong field types, dropping unknown plugins', () => {
    const empty = { options: {}, plugins: [], highlightTheme: null, themeCss: null, css: [], scripts: [] };
    assert.deepEqual(parseRevealSetup(null), empty);
    assert.deepEqual(parseRevealSetup('{nope'), empty);
    assert.deepEqual(parseRevealSetup('[1]'), empty);
    assert.deepEqual(parseRevealSetup(JSON.stringify({ options: [1], plugins: ['notes', 'zoom', 7], css: 'a.css', scripts: [1, '/deck/x.js'] })), {
      ...empty,
      plugins: ['zoom'],
      scripts: ['/deck/x.js'],
    });
  });
});
