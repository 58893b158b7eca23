import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { presenceSeries } from './presence.ts';

const T0 = 1_700_000_000_000;
const s = (sec: number, audience: number) => ({ at: T0 + sec * 1000, audience });

describe('presenceSeries', () => {
  it('finds the peak and weights the mean by how long each count held', () => {
    const p = presenceSeries([s(0, 0), s(10, 40), s(40, 100), s(50, 20), s(100, 20)]);
    assert.equal(p.peak, 100);
    assert.equal(p.peakAt, T0 + 40_000);
    // (0*10 + 40*30 + 100*10 + 20*50) / 100
    assert.equal(p.mean, 32);
  });

  it('drops samples that repeat the count before them but keeps the last, so the line reaches the end', () => {
    const p = presenceSeries([s(0, 5), s(60, 5), s(120, 5), s(130, 7), s(190, 7), s(250, 7)]);
    assert.deepEqual(p.samples, [s(0, 5), s(130, 7), s(250, 7)]);
  });

  it('is flat zero without samples and the single count with one', () => {
    assert.deepEqual(presenceSeries([]), { samples: [], peak: 0, peakAt: null, mean: 0 });
    assert.equal(presenceSeries([s(0, 12)]).mean, 12);
  });
});
