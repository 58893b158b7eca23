import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from './dom.ts';
import { fragmentSteps, lineStepClones, lineSteps, slideFragmentSteps } from './fragments.ts';

const slide = (html: string): Element => {
  const el = parseDocument(`<section>${html}</section>`).document.querySelector('section');
  assert.ok(el);
  return el;
};

describe('fragment steps, by reveal.js rules', () => {
  it('counts each fragment without an index as a step of its own', () => {
    assert.equal(fragmentSteps([]), 0);
    assert.equal(fragmentSteps([null, null, null]), 3);
  });

  it('counts fragments sharing a data-fragment-index as one step', () => {
    assert.equal(fragmentSteps(['1', '1', '0', '0']), 2);
    assert.equal(fragmentSteps(['0', null, '0', null]), 3);
  });

  it('collapses sparse indices: 2 and 5 are two steps', () => {
    assert.equal(fragmentSteps(['2', '5']), 2);
    assert.equal(fragmentSteps(['5', '2', '5', null]), 3);
  });

  it('reads the index with parseInt and drops what is not an array index, as its sparse array does', () => {
    assert.equal(fragmentSteps(['1abc', '1']), 1);
    assert.equal(fragmentSteps(['-1', 'x', '']), 0);
  });

  it('reads code line steps as the highlight plugin does', () => {
    assert.equal(lineSteps('1-2|3|4'), 3);
    assert.equal(lineSteps(' 1, 3 | 5 '), 2);
    assert.equal(lineSteps(''), 1);
    assert.deepEqual(lineStepClones(null, 3), [null, null]);
    assert.deepEqual(lineStepClones('4', 3), ['4', '5']);
    assert.deepEqual(lineStepClones('x', 2), [null]);
    assert.deepEqual(lineStepClones(null, 1), []);
  });
});

describe('slideFragmentSteps', () => {
  it('takes every .fragment under the slide, nested ones too, but not disabled ones', () => {
    assert.equal(slideFragmentSteps(slide('<ul><li class="fragment">a<span class="fragment">b</span></li><li class="fragment disabled">c</li></ul>'), { highlight: false }), 2);
  });

  it('adds one step per code line step after the first when highlight runs', () => {
    const html = '<pre><code data-line-numbers="1-2|3|4">a\nb\nc\nd</code></pre><p class="fragment">after</p>';
    assert.equal(slideFragmentSteps(slide(html), { highlight: true }), 3);
    assert.equal(slideFragmentSteps(slide(html), { highlight: false }), 1);
  });

  it('numbers the clones on from the block\'s own index, sharing steps with fragments at those indices', () => {
    const html = '<p class="fragment" data-fragment-index="1">x</p><pre><code data-line-numbers="1|2|3" data-fragment-index="1">a\nb\nc</code></pre>';
    // Clones at 1 and 2, the paragraph at 1: indices {1, 2}.
    assert.equal(slideFragmentSteps(slide(html), { highlight: true }), 2);
  });

  it('leaves an empty code block alone', () => {
    assert.equal(slideFragmentSteps(slide('<pre><code data-line-numbers="1|2"> </code></pre>'), { highlight: true }), 0);
  });

  it('with fragments: false, allows every index reveal reports (all fragments shown: their number minus one)', () => {
    const html = '<p class="fragment" data-fragment-index="0">a</p><p class="fragment" data-fragment-index="0">b</p><pre><code data-line-numbers="1|2">a\nb</code></pre>';
    assert.equal(slideFragmentSteps(slide(html), { highlight: true, fragmentsDisabled: true }), 3);
  });

  it('counts a code block that is itself a fragment once, its clones after it', () => {
    const html = '<pre><code class="fragment" data-fragment-index="0" data-line-numbers="1|2">a\nb</code></pre>';
    // The block loses its index (a step of its own); its clone gets index 0.
    assert.equal(slideFragmentSteps(slide(html), { highlight: true }), 2);
  });
});
