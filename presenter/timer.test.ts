import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { elapsedMs, formatDuration, pause, reset, start } from './timer.ts';

describe('presenter timer', () => {
  it('counts only running time across pause and resume', () => {
    let t = start(reset(), 1000);
    t = pause(t, 6000);
    assert.equal(elapsedMs(t, 50_000), 5000);
    t = start(t, 60_000);
    assert.equal(elapsedMs(t, 62_500), 7500);
  });

  it('ignores a second start and a pause while stopped', () => {
    const t = start(reset(), 1000);
    assert.equal(start(t, 9000), t);
    const p = pause(t, 2000);
    assert.equal(pause(p, 5000), p);
  });

  it('formats minutes and hours as a speaker reads them', () => {
    assert.equal(formatDuration(0), '00:00');
    assert.equal(formatDuration(65_400), '01:05');
    assert.equal(formatDuration(3_725_000), '1:02:05');
  });
});
