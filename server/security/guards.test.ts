import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATES, Limiter, RatePlan } from '../relay/limiter.ts';
import { JoinGuard } from './join-guard.ts';
import { originAllowed } from './origin.ts';

describe('originAllowed', () => {
  it('allows no Origin (non-browser clients) and the page host itself', () => {
    assert.equal(originAllowed(undefined, 'talk.local:8080', []), true);
    assert.equal(originAllowed('http://talk.local:8080', 'talk.local:8080', []), true);
    assert.equal(originAllowed('https://TALK.local', 'talk.local', []), true);
  });

  it('refuses a foreign site, a port mismatch, "null" and garbage', () => {
    assert.equal(originAllowed('https://evil.example', 'talk.local:8080', []), false);
    assert.equal(originAllowed('http://talk.local:9999', 'talk.local:8080', []), false);
    assert.equal(originAllowed('null', 'talk.local:8080', []), false);
    assert.equal(originAllowed('file://', 'talk.local:8080', []), false);
    assert.equal(originAllowed('http://talk.local:8080', undefined, []), false);
  });

  it('allows origins listed for a reverse proxy', () => {
    assert.equal(originAllowed('https://talk.example.org', '127.0.0.1:8080', ['https://talk.example.org']), true);
    assert.equal(originAllowed('https://talk.example.org:443', '127.0.0.1:8080', ['https://talk.example.org']), true);
  });
});

describe('JoinGuard', () => {
  it('answers the first wrong guesses at once, then later and later, and refuses past 20 a minute', () => {
    const guard = new JoinGuard();
    const delays = Array.from({ length: 20 }, (_, i) => guard.wrong('10.0.0.1', 1000 + i));
    assert.deepEqual(
      delays.map((v) => (v.kind === 'answer' ? v.delayMs : -1)),
      [0, 0, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
    );
    assert.deepEqual(guard.wrong('10.0.0.1', 2000), { kind: 'refuse', retryMs: 59_000 }, 'until the oldest counted guess leaves the window');
    assert.deepEqual(guard.wrong('10.0.0.2', 2000), { kind: 'answer', delayMs: 0 }, 'another address is not affected');
    assert.deepEqual(guard.wrong('10.0.0.1', 1000 + 60_000 + 1), { kind: 'answer', delayMs: 10_000 }, 'the window slides');
  });

  it('holds at most a few answers back per address, and gives them back', () => {
    const guard = new JoinGuard({ maxHeldPerAddress: 2, maxHeld: 3 });
    assert.deepEqual([1, 2, 3].map(() => guard.hold('a')), [true, true, false]);
    assert.equal(guard.hold('b'), true);
    assert.equal(guard.hold('c'), false, 'the server-wide cap');
    guard.release('a');
    assert.equal(guard.hold('c'), true);
    guard.release('nobody');
    assert.equal(guard.hold('a'), false, 'releasing an address that holds nothing changes nothing');
  });

  it('judges a wrong guess whole: answered now, held back with room reserved, or refused when too many are held', () => {
    const guard = new JoinGuard({ freeFailures: 1, stepMs: 500, maxHeldPerAddress: 2, maxHeld: 10 });
    assert.deepEqual(guard.judge('a', 1000), { kind: 'answer', delayMs: 0 }, 'a free guess holds nothing');
    assert.deepEqual(guard.judge('a', 1001), { kind: 'answer', delayMs: 500 });
    assert.deepEqual(guard.judge('a', 1002), { kind: 'answer', delayMs: 1000 });
    assert.deepEqual(guard.judge('a', 1003), { kind: 'refuse', retryMs: 1500 }, 'two answers held: the third is refused now');
    guard.release('a');
    assert.deepEqual(guard.judge('a', 1004), { kind: 'answer', delayMs: 2000 }, 'a released answer makes room');
  });

  it('keeps at most maxAddresses addresses', () => {
    const guard = new JoinGuard({ maxAddresses: 100 });
    for (let i = 0; i < 1000; i++) guard.wrong(`10.0.${i >> 8}.${i & 255}`, 1);
    assert.equal((guard as unknown as { failures: Map<string, unknown> }).failures.size, 100);
  });
});

describe('Limiter', () => {
  it('allows a burst, then refills at the rate, per kind', () => {
    const limiter = new Limiter(new RatePlan({ ping: { perSecond: 2, burst: 3 }, hello: { perSecond: 1, burst: 2 }, default: { perSecond: 1, burst: 1 } }));
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('ping', 0)), [true, true, true, false]);
    assert.equal(limiter.take('ask', 0), true, 'another kind has its own bucket');
    assert.equal(limiter.take('ask', 0), false, 'kinds not in the table share the default bucket');
    assert.equal(limiter.take('chat', 0), false);
    assert.equal(limiter.take('ping', 500), true, 'one token after half a second at 2/s');
    assert.equal(limiter.take('ping', 500), false);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('hello', 500)), [true, true, false], 'a kind in a slot of its own');
    assert.equal(limiter.take('ping', 10_000), true, 'never more than the burst after a long pause');
    assert.deepEqual([1, 2, 3].map(() => limiter.take('ping', 10_000)), [true, true, false]);
  });

  it('gives the unlisted kinds the built-in default rate when the table has none', () => {
    const limiter = new Limiter(new RatePlan({ frame: { perSecond: 1, burst: 1 } }));
    const burst = DEFAULT_RATES.default!.burst;
    assert.equal(Array.from({ length: burst + 1 }, () => limiter.take('ask', 0)).filter(Boolean).length, burst);
  });
});
