import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pace, slideTimings } from './pacing.ts';

describe('pacing (reveal.js speaker view rule)', () => {
  it('has nothing to say without a total time or a default timing', () => {
    assert.equal(slideTimings([null, '30'], null, null), null);
  });

  it('gives untimed slides defaultTiming, and data-timing wins', () => {
    assert.deepEqual(slideTimings([null, '30', 'junk'], null, 60), [60, 30, 60]);
  });

  it('shares a total time among the slides without their own timing; totalTime overrides defaultTiming', () => {
    assert.deepEqual(slideTimings([null, '120', null, null], 600, 999), [160, 120, 160, 160]);
  });

  it('is ahead with time to spare, on time within the current slide\'s share, behind past it', () => {
    const timings = [60, 60, 60];
    assert.equal(pace(timings, 1, 30_000).state, 'ahead');
    assert.equal(pace(timings, 1, 90_000).state, 'on-time');
    assert.deepEqual(pace(timings, 1, 130_000), { state: 'behind', slideLeftMs: -10_000 });
  });
});
