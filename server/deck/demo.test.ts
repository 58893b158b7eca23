import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadDeck } from './index.ts';

const SLIDES = fileURLToPath(new URL('../../slides/', import.meta.url));

describe('the bundled demo deck', () => {
  it('resolves from the slides folder with its front matter', async () => {
    const deck = await loadDeck(SLIDES);
    assert.equal(deck.source, join(SLIDES, 'index.md'));
    assert.equal(deck.title, 'WebSockets: the web, live');
    assert.equal(deck.theme, 'black');
  });

  it('has 14 to 24 slides (a three-question quiz and a ranking included), a vertical stack, and notes on every slide', async () => {
    const deck = await loadDeck(SLIDES);
    const total = deck.stacks.reduce((a, b) => a + b, 0);
    assert.ok(total >= 14 && total <= 24, `${total} slides`);
    assert.deepEqual(
      deck.polls.filter((p) => p.type === 'quiz').map((p) => p.quiz?.id),
      ['websockets', 'websockets', 'websockets'],
    );
    assert.ok(deck.polls.some((p) => p.type === 'ranking'));
    assert.ok(deck.stacks.some((n) => n > 1), 'a vertical stack');
    deck.stacks.forEach((n, h) => {
      for (let v = 0; v < n; v++) assert.ok((deck.notes[`${h}/${v}`] ?? '').length > 40, `notes on ${h}/${v}`);
    });
    assert.equal(Object.keys(deck.notes).length, total);
  });

  it('keeps every note out of the audience html', async () => {
    const deck = await loadDeck(SLIDES);
    for (const note of Object.values(deck.notes)) {
      const firstWords = note.split(/\s+/).slice(0, 6).join(' ');
      assert.ok(!deck.html.includes(firstWords), `note leaked: ${firstWords}`);
    }
    assert.doesNotMatch(deck.html, /Note:|<aside/);
  });

  it('uses fragments and only images that exist beside it', async () => {
    const deck = await loadDeck(SLIDES);
    assert.ok((deck.html.match(/class="fragment"/g) ?? []).length >= 5);
    const images = [...deck.html.matchAll(/src="\/deck\/([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(images.length >= 3, 'diagrams');
    for (const image of images) await access(join(deck.dir, image));
    assert.doesNotMatch(deck.html, /src="(?!\/deck\/)/, 'every image points into /deck/');
  });

  it('makes whole bullets and blocks fragments, never an inline element inside one', async () => {
    // reveal.js attaches `<!-- .element: … -->` to the element before it, so at the end of
    // "text *em*" it makes only the <em> a fragment and the rest of the bullet shows early.
    const deck = await loadDeck(SLIDES);
    const tags = [...deck.html.matchAll(/<([a-z][a-z0-9]*)\b[^>]*\bclass="[^"]*\bfragment\b[^"]*"/g)].map((m) => m[1]);
    assert.ok(tags.length >= 20, `${tags.length} fragments`);
    const BLOCKS = new Set(['li', 'p', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'pre', 'blockquote', 'div', 'figure', 'table', 'img']);
    assert.deepEqual(tags.filter((t) => !BLOCKS.has(t ?? '')), []);
  });
});
