import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TalkClock } from './clock.ts';

describe('TalkClock', () => {
  it('counts runs, keeps paused time, and resets to zero', () => {
    const clock = new TalkClock();
    assert.equal(clock.elapsed(1000), 0);
    clock.apply('start', 1000);
    assert.equal(clock.elapsed(4000), 3000);
    clock.apply('pause', 5000);
    assert.equal(clock.elapsed(60_000), 4000);
    clock.apply('start', 70_000);
    clock.apply('start', 80_000);
    assert.equal(clock.elapsed(71_000), 5000, 'a second start does not restart the run');
    clock.apply('reset', 90_000);
    assert.equal(clock.isRunning, false);
    assert.equal(clock.elapsed(99_000), 0);
  });
});
