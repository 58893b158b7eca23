import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, ServerTimer } from './timer.ts';

describe('presenter timer', () => {
  it('counts on from the server\'s figure while running, and stands still while paused', () => {
    const t = new ServerTimer();
    t.receive({ type: 'timerState', running: true, elapsed: 5000, duration: 1200 }, 100_000);
    assert.equal(t.elapsed(102_500), 7500);
    assert.equal(t.duration, 1200);
    t.receive({ type: 'timerState', running: false, elapsed: 8000, duration: 1200 }, 103_000);
    assert.equal(t.elapsed(200_000), 8000);
  });

  it('formats minutes and hours as a speaker reads them', () => {
    assert.equal(formatDuration(0), '00:00');
    assert.equal(formatDuration(65_400), '01:05');
    assert.equal(formatDuration(3_725_000), '1:02:05');
  });
});
