import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Coalescer } from './coalesce.ts';
import { RateLimiter } from './limiter.ts';

describe('Coalescer', () => {
  it('flushes the first change on the next tick', async () => {
    let flushes = 0;
    const c = new Coalescer(1000, () => flushes++);
    c.mark();
    await sleep(5);
    assert.equal(flushes, 1);
  });

  it('turns a burst of changes into one flush per interval', async () => {
    let flushes = 0;
    const c = new Coalescer(50, () => flushes++);
    const end = Date.now() + 220;
    while (Date.now() < end) {
      for (let i = 0; i < 100; i++) c.mark();
      await sleep(1);
    }
    await sleep(60);
    // ~220ms of constant changes at one flush per 50ms: 5 or 6, never hundreds.
    assert.ok(flushes >= 4 && flushes <= 7, `${flushes} flushes`);
    assert.equal(c.pending, false);
  });

  it('reads an interval given as a function at each change', async () => {
    let flushes = 0;
    let interval = 1000;
    const c = new Coalescer(() => interval, () => flushes++);
    c.mark();
    await sleep(5);
    c.mark();
    await sleep(30);
    assert.equal(flushes, 1, 'the second change waits for the 1 s interval');
    c.cancel();
    interval = 10;
    c.mark();
    await sleep(30);
    assert.equal(flushes, 2, 'a shorter interval applies to the next change');
  });

  it('flushNow runs at once and cancel drops a pending flush', async () => {
    let flushes = 0;
    const c = new Coalescer(50, () => flushes++);
    c.flushNow();
    c.mark();
    c.cancel();
    await sleep(70);
    assert.equal(flushes, 1);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the steady rate', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 2, () => now);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false]);
    assert.equal(limiter.take('b'), true, 'each key has its own bucket');
    now = 500;
    assert.deepEqual([limiter.take('a'), limiter.take('a')], [true, false]);
  });
});
