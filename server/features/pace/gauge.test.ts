import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PACE_FORGET_MS, PACE_HALF_LIFE_MS, PaceGauge } from './gauge.ts';

describe('PaceGauge', () => {
  it('sums signals per slide', () => {
    const gauge = new PaceGauge(() => 0);
    gauge.signal('a', 'fast', '1/0');
    gauge.signal('b', 'fast', '1/0');
    gauge.signal('c', 'slow', '2/0');
    assert.deepEqual(gauge.report(), { slides: { '1/0': { fast: 2, slow: 0 }, '2/0': { fast: 0, slow: 1 } }, active: { fast: 2, slow: 1 } });
  });

  it('keeps one signal per participant: a new one replaces it, ok withdraws it', () => {
    const gauge = new PaceGauge(() => 0);
    gauge.signal('a', 'fast', '1/0');
    gauge.signal('a', 'slow', '1/0');
    assert.deepEqual(gauge.report().slides['1/0'], { fast: 0, slow: 1 });
    assert.equal(gauge.signal('a', 'ok', '1/0'), true);
    assert.deepEqual(gauge.report(), { slides: {}, active: { fast: 0, slow: 0 } });
  });

  it('halves a signal every half-life and forgets it after a few minutes', () => {
    let now = 0;
    const gauge = new PaceGauge(() => now);
    gauge.signal('a', 'slow', '3/0');
    now = PACE_HALF_LIFE_MS;
    assert.equal(gauge.report().slides['3/0']?.slow, 0.5);
    now = 2 * PACE_HALF_LIFE_MS;
    assert.equal(gauge.report().slides['3/0']?.slow, 0.25);
    now = PACE_FORGET_MS;
    assert.deepEqual(gauge.report().slides, {});
    assert.equal(gauge.size, 0);
  });
});
