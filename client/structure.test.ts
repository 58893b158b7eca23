import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstDifference, fragmentSteps } from './structure.ts';

describe('fragmentSteps (reveal.js Fragments.sort)', () => {
  it('counts fragments sharing a data-fragment-index as one step and each unindexed fragment as its own', () => {
    assert.equal(fragmentSteps([]), 0);
    assert.equal(fragmentSteps([null, null, null]), 3);
    assert.equal(fragmentSteps(['0', '0', '1']), 2);
    assert.equal(fragmentSteps(['2', null, '2', '5']), 3);
  });

  it('ignores an index reveal.js cannot place (not a non-negative integer)', () => {
    assert.equal(fragmentSteps(['abc', '-1', '1']), 1);
  });
});

describe('firstDifference', () => {
  const server = { stacks: [1, 3, 1], fragments: [[0], [2, 0, 1], [0]] };

  it('finds none when the decks agree', () => {
    assert.equal(firstDifference(structuredClone(server), server), null);
  });

  it('names the first column the server does not have (a slide counted on one side only)', () => {
    const d = firstDifference({ stacks: [1, 3, 1, 1], fragments: [[0], [2, 0, 1], [0], [0]] }, server);
    assert.deepEqual({ h: d?.h, v: d?.v }, { h: 3, v: 0 });
    assert.match(d?.message ?? '', /slide 4 onwards is not in the deck phones have/);
    const e = firstDifference({ stacks: [1, 3], fragments: [[0], [2, 0, 1]] }, server);
    assert.match(e?.message ?? '', /slide 3 onwards is not on this console/);
  });

  it('names the first slide whose fragment steps differ, before a later difference in stack size', () => {
    const d = firstDifference({ stacks: [1, 2, 1], fragments: [[0], [2, 1], [0]] }, server);
    assert.deepEqual({ h: d?.h, v: d?.v }, { h: 1, v: 1 });
    assert.match(d?.message ?? '', /Slide 2\.2 has 1 fragment steps on this console but 0/);
    const e = firstDifference({ stacks: [1, 2, 1], fragments: [[0], [2, 0], [0]] }, server);
    assert.match(e?.message ?? '', /Slide 2 has 2 vertical slides on this console but 3/);
  });

  it('does not compare fragments the server has not counted', () => {
    const uncounted = { stacks: [1, 1], fragments: [[Number.MAX_SAFE_INTEGER], [Number.MAX_SAFE_INTEGER]] };
    assert.equal(firstDifference({ stacks: [1, 1], fragments: [[3], [0]] }, uncounted), null);
  });
});
