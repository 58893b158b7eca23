import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from './dom.ts';
import { listSlides, removeHiddenSlides, stackSizes } from './slides.ts';

const slidesOf = (html: string): Element => {
  const el = parseDocument(`<div class="slides">${html}</div>`).document.querySelector('.slides');
  assert.ok(el);
  return el;
};

describe('hidden and uncounted slides, as reveal.js removes them', () => {
  const html =
    '<section>A</section><section data-visibility="hidden">B</section>' +
    '<section><section>C0</section><section data-visibility="hidden">C1</section></section>' +
    '<section><section data-visibility="hidden">D0</section></section>' +
    '<section data-visibility="uncounted">E</section>';

  it('removes hidden slides, and a stack whose only slide is hidden', () => {
    const slides = slidesOf(html);
    removeHiddenSlides(slides, false);
    assert.deepEqual(stackSizes(slides), [1, 1, 1]);
    assert.deepEqual(listSlides(slides).map((s) => s.el.textContent), ['A', 'C0', 'E']);
  });

  it('keeps them all with showHiddenSlides', () => {
    const slides = slidesOf(html);
    removeHiddenSlides(slides, true);
    assert.deepEqual(stackSizes(slides), [1, 1, 2, 1, 1]);
  });
});
