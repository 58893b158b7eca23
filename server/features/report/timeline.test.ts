import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeckState } from '../../../protocol/messages.ts';
import { timeline, type LogPoint } from './timeline.ts';

const on = (indexh: number, indexv = 0, more: Partial<DeckState> = {}): DeckState => ({ indexh, indexv, indexf: -1, paused: false, overview: false, ...more });
const T0 = 1_700_000_000_000;
const at = (s: number, deck?: DeckState): LogPoint => (deck ? { at: T0 + s * 1000, deck } : { at: T0 + s * 1000 });

describe('timeline', () => {
  it('gives each slide the time until the next move, and the last slide the time until the last event', () => {
    const t = timeline([at(0, on(0)), at(60, on(1)), at(90, on(1, 1)), at(100), at(150)]);
    assert.deepEqual(t.slides, { '0/0': { ms: 60_000, visits: 1 }, '1/0': { ms: 30_000, visits: 1 }, '1/1': { ms: 60_000, visits: 1 } });
    assert.equal(t.shownMs, 150_000);
    assert.equal(t.start, T0);
    assert.equal(t.end, T0 + 150_000);
  });

  it('counts the first slide from the first event when the log starts without a move', () => {
    const t = timeline([at(0), at(30, on(2))]);
    assert.deepEqual(t.slides['0/0'], { ms: 30_000, visits: 1 });
  });

  it('leaves paused time out of the slide and totals it apart; resuming is not a new visit', () => {
    const t = timeline([at(0, on(0)), at(40, on(0, 0, { paused: true })), at(100, on(0)), at(120, on(1)), at(130)]);
    assert.deepEqual(t.slides['0/0'], { ms: 60_000, visits: 1 });
    assert.equal(t.pausedMs, 60_000);
    assert.equal(t.shownMs, 70_000);
  });

  it('totals overview time apart and counts arriving back on a slide as another visit', () => {
    const t = timeline([at(0, on(0)), at(10, on(1)), at(20, on(1, 0, { overview: true })), at(25, on(0)), at(35, on(1)), at(45)]);
    assert.equal(t.overviewMs, 5_000);
    assert.deepEqual(t.slides['0/0'], { ms: 20_000, visits: 2 });
    assert.deepEqual(t.slides['1/0'], { ms: 20_000, visits: 2 });
  });

  it('stays one visit while stepping through fragments', () => {
    const t = timeline([at(0, on(0)), at(5, on(0, 0, { indexf: 0 })), at(9, on(0, 0, { indexf: 1 })), at(12)]);
    assert.deepEqual(t.slides['0/0'], { ms: 12_000, visits: 1 });
  });

  it('does not count a silence longer than the break limit (the server was down overnight)', () => {
    const t = timeline([at(0, on(3)), at(60), at(60 + 12 * 3600), at(60 + 12 * 3600 + 30)], 5 * 60_000);
    assert.deepEqual(t.slides['3/0'], { ms: 90_000, visits: 1 });
    assert.deepEqual(t.breaks, [{ from: T0 + 60_000, to: T0 + (60 + 12 * 3600) * 1000 }]);
  });

  it('never counts negative time when the clock was set back', () => {
    const t = timeline([at(100, on(0)), at(40), at(160)]);
    assert.equal(t.slides['0/0']!.ms, 60_000);
  });

  it('is empty for an empty log', () => {
    const t = timeline([]);
    assert.equal(t.start, null);
    assert.deepEqual(t.slides, {});
  });
});
