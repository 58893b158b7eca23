import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, type OutboxStorage, type OutboxTimers } from './outbox.ts';

interface Msg {
  type: 'chat';
  key: string;
  text: string;
}

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** A fake clock for the outbox's own timers: `advance` runs what falls due, in order. */
function fakeTimers(): OutboxTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  return {
    set(run, ms) {
      due.set(++next, { at: now + ms, run });
      return next;
    },
    clear(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const first = [...due].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].run();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

const unavailable = (key: string, retryAfterMs?: number) => ({ code: 'unavailable' as const, key, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('Outbox', () => {
  it('sends at once and keeps the message until it is acknowledged', () => {
    const sent: Msg[] = [];
    const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (sent.push(m), true), storage: null });
    box.send({ type: 'chat', key: 'k1', text: 'hi' });
    assert.equal(sent.length, 1);
    assert.equal(box.has('k1'), true);
    assert.equal(box.ack('k1'), true);
    assert.equal(box.has('k1'), false);
    assert.equal(box.ack('k1'), false, 'a second ack is harmless');
  });

  it('resends everything unacknowledged on flush, oldest first', () => {
    let up = false;
    const sent: string[] = [];
    const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (up ? (sent.push(m.key), true) : false), storage: null });
    box.send({ type: 'chat', key: 'a', text: '1' });
    box.send({ type: 'chat', key: 'b', text: '2' });
    up = true;
    box.flush();
    box.ack('a');
    box.flush();
    assert.deepEqual(sent, ['a', 'b', 'b']);
  });

  it('survives a reload through storage, and forgets rejected messages', () => {
    const storage = memoryStorage();
    const first = new Outbox<Msg>({ storageKey: 'o', transport: () => false, storage });
    first.send({ type: 'chat', key: 'a', text: '1' });
    first.send({ type: 'chat', key: 'b', text: '2' });
    first.reject('a');
    const sent: string[] = [];
    const reloaded = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (sent.push(m.key), true), storage });
    reloaded.flush();
    assert.deepEqual(sent, ['b']);
  });

  it('does not queue the same key twice and gives up on stale entries', () => {
    let now = 0;
    const box = new Outbox<Msg>({ storageKey: 'o', transport: () => false, storage: null, maxAgeMs: 1000, now: () => now });
    box.send({ type: 'chat', key: 'a', text: '1' });
    box.send({ type: 'chat', key: 'a', text: '1' });
    assert.equal(box.pending().length, 1);
    now = 5000;
    box.flush();
    assert.equal(box.pending().length, 0);
  });

  it('treats unreadable storage as empty', () => {
    const storage = memoryStorage();
    storage.data.set('o', '{not json');
    const box = new Outbox<Msg>({ storageKey: 'o', transport: () => true, storage });
    assert.deepEqual(box.pending(), []);
  });

  describe('#error (cluster mode: the server cannot store now)', () => {
    it('keeps an unavailable write and sends it again after retryAfterMs, on the same link, until acked', () => {
      const timers = fakeTimers();
      const sent: string[] = [];
      const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (sent.push(m.key), true), storage: null, timers, random: () => 0 });
      box.send({ type: 'chat', key: 'a', text: '1' });
      assert.equal(box.error(unavailable('a', 1000)), 'retrying');
      assert.equal(box.has('a'), true, 'kept');
      timers.advance(999);
      assert.deepEqual(sent, ['a'], 'not before retryAfterMs');
      timers.advance(1);
      assert.deepEqual(sent, ['a', 'a'], 'sent again without a reconnect');
      assert.equal(box.error(unavailable('a', 1000)), 'retrying');
      assert.equal(box.ack('a'), true);
      timers.advance(10_000);
      assert.deepEqual(sent, ['a', 'a'], 'an acked write is not sent again');
      assert.equal(timers.pending(), 0);
    });

    it('without a hint, waits 0.5 s doubling to 5 s, jittered into the upper half', () => {
      const delays = (random: number) => {
        const asked: number[] = [];
        const timers: OutboxTimers = { set: (_run, ms) => asked.push(ms), clear: () => {} };
        const box = new Outbox<Msg>({ storageKey: 'o', transport: () => true, storage: null, timers, random: () => random });
        box.send({ type: 'chat', key: 'a', text: '1' });
        for (let i = 0; i < 6; i++) box.error(unavailable('a'));
        return asked;
      };
      assert.deepEqual(delays(0), [250, 500, 1000, 2000, 2500, 2500]);
      assert.deepEqual(delays(1), [500, 1000, 2000, 4000, 5000, 5000]);
    });

    it('jitters the server hint upwards only, so a room told the same time spreads out', () => {
      for (const [random, expected] of [[0, 2000], [0.5, 2500], [1, 3000]] as const) {
        const timers = fakeTimers();
        let sends = 0;
        const box = new Outbox<Msg>({ storageKey: 'o', transport: () => (sends++, true), storage: null, timers, random: () => random });
        box.send({ type: 'chat', key: 'a', text: '1' });
        box.error(unavailable('a', 2000));
        timers.advance(expected - 1);
        assert.equal(sends, 1, `random ${random}: not before ${expected} ms`);
        timers.advance(1);
        assert.equal(sends, 2, `random ${random}: at ${expected} ms`);
      }
    });

    it('stops retrying when the server refuses the write for good, and forgets it', () => {
      const timers = fakeTimers();
      let sends = 0;
      const box = new Outbox<Msg>({ storageKey: 'o', transport: () => (sends++, true), storage: null, timers });
      box.send({ type: 'chat', key: 'a', text: '1' });
      box.error(unavailable('a', 500));
      assert.equal(box.retrying('a'), true);
      assert.equal(box.error({ code: 'rate_limited', key: 'a' }), 'refused');
      assert.equal(box.has('a'), false);
      assert.equal(box.retrying('a'), false);
      timers.advance(60_000);
      assert.equal(sends, 1);
    });

    it('keeps an unavailable write across a reload (it is still in storage) and ignores keys it does not hold', () => {
      const storage = memoryStorage();
      const timers = fakeTimers();
      const box = new Outbox<Msg>({ storageKey: 'o', transport: () => true, storage, timers });
      box.send({ type: 'chat', key: 'a', text: '1' });
      assert.equal(box.error(unavailable('a')), 'retrying');
      assert.equal(box.error(unavailable('other')), 'unknown');
      assert.equal(box.error({ code: 'bad_message' }), 'unknown');
      const reloaded = new Outbox<Msg>({ storageKey: 'o', transport: () => true, storage });
      assert.deepEqual(reloaded.pending().map((m) => m.key), ['a']);
    });

    it('a retry that falls due while the link is down waits for the next flush', () => {
      const timers = fakeTimers();
      let up = true;
      const sent: string[] = [];
      const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (up ? (sent.push(m.key), true) : false), storage: null, timers, random: () => 0 });
      box.send({ type: 'chat', key: 'a', text: '1' });
      box.error(unavailable('a', 100));
      up = false;
      timers.advance(200);
      assert.deepEqual(sent, ['a']);
      up = true;
      box.flush();
      assert.deepEqual(sent, ['a', 'a']);
    });
  });
});
