import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServerClock } from './clock.ts';

describe('ServerClock', () => {
  it('estimates the offset from the pong with the shortest round trip', () => {
    let now = 1000;
    const clock = new ServerClock(() => now);
    // Server is 5 000 ms ahead. A slow round trip (400 ms, answered late) misleads by 150 ms…
    now = 1400;
    clock.pong(1000, 1000 + 5000 + 350);
    // …a fast one (20 ms) by nothing.
    now = 2020;
    clock.pong(2000, 2010 + 5000);
    assert.equal(clock.offset, 5000);
    assert.equal(clock.now(), 2020 + 5000);
  });

  it('uses a hint until the first pong, and ignores pongs without a server time', () => {
    let now = 0;
    const clock = new ServerClock(() => now);
    assert.equal(clock.offset, 0);
    clock.hint(-300);
    assert.equal(clock.offset, -300);
    now = 50;
    clock.pong(0, undefined);
    assert.equal(clock.offset, -300);
    clock.pong(0, -275);
    assert.equal(clock.offset, -300, 'a pong: offset = server - midpoint = -275 - 25');
    clock.hint(9999);
    assert.equal(clock.offset, -300, 'hints no longer count');
  });
});
