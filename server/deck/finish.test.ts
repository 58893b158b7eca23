import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finishSlides } from './finish.ts';

describe('finishSlides', () => {
  it('counts vertical stacks and keys notes by h/v', () => {
    const r = finishSlides(
      '<section>A<aside class="notes">na</aside></section>' +
        '<section><section>B0</section><section data-notes="nb1">B1</section></section>' +
        '<section>C</section>',
    );
    assert.deepEqual(r.stacks, [1, 2, 1]);
    assert.deepEqual(r.notes, { '0/0': 'na', '1/1': 'nb1' });
  });

  it('removes every note from the markup, even outside a slide', () => {
    const r = finishSlides('<section data-notes="secret1" id="s">A<aside class="big notes">secret2</aside></section><aside class="notes">secret3</aside>');
    assert.equal(r.html, '<section id="s">A</section>');
    assert.doesNotMatch(r.html, /secret/);
  });

  it('removes a note hidden from the tree by an unclosed element', () => {
    const r = finishSlides('<section><textarea>x<aside class="notes">secret</aside></section>');
    assert.doesNotMatch(r.html, /secret/);
  });

  it('gives notes on a stack itself to its first slide, after merging ones handed in', () => {
    const r = finishSlides('<section><aside class="notes">stack</aside><section>1<aside class="notes">own</aside></section></section>', { '0/0': 'md' });
    assert.equal(r.notes['0/0'], 'stack\n\nown\n\nmd');
  });

  it('finds the first heading, ignoring notes', () => {
    const r = finishSlides('<section><aside class="notes"><h1>No</h1></aside><p>x</p></section><section><h2>Real &amp; <em>true</em></h2></section>');
    assert.equal(r.firstHeading, 'Real & true');
  });
});
