import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const options = { baseMs: 100, capMs: 1000 };

  it('grows exponentially from the base', () => {
    assert.equal(backoffDelay(0, options, () => 1), 100);
    assert.equal(backoffDelay(1, options, () => 1), 200);
    assert.equal(backoffDelay(3, options, () => 1), 800);
  });

  it('never exceeds the cap however many attempts', () => {
    for (const attempt of [4, 10, 60, 1000]) assert.equal(backoffDelay(attempt, options, () => 1), 1000);
  });

  it('spreads clients over the upper half of the window', () => {
    assert.equal(backoffDelay(10, options, () => 0), 500);
    assert.equal(backoffDelay(10, options, () => 0.5), 750);
  });
});
