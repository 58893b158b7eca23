import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aheadOf, toDeckState, toRemembered } from './last-state.ts';

describe('toDeckState (a remembered slide read back from storage)', () => {
  it('keeps a well-formed state', () => {
    const state = { indexh: 3, indexv: 1, indexf: -1, paused: false, overview: true };
    assert.deepEqual(toDeckState(state), state);
  });

  it('refuses anything else, so a tampered or old entry never reaches reveal.js', () => {
    for (const bad of [null, 3, 'x', [], { indexh: -1, indexv: 0, indexf: -1, paused: false, overview: false }, { indexh: 1.5, indexv: 0, indexf: -1, paused: false, overview: false }, { indexh: 1, indexv: 0, indexf: -1, paused: 'no', overview: false }, { indexh: 1 }]) {
      assert.equal(toDeckState(bad), null, JSON.stringify(bad));
    }
  });
});

describe('toRemembered (the slide with its seq and epoch)', () => {
  const state = { indexh: 3, indexv: 1, indexf: -1, paused: false, overview: false };

  it('reads back the seq and epoch saved with the state', () => {
    assert.deepEqual(toRemembered({ ...state, seq: 57, epoch: 'e-1' }), { state, mark: { seq: 57, epoch: 'e-1' } });
    assert.deepEqual(toRemembered({ ...state, seq: 57 }), { state, mark: { seq: 57 } });
  });

  it('reads an entry from before epochs as a state without a mark, and drops a malformed mark', () => {
    assert.deepEqual(toRemembered(state), { state, mark: null });
    for (const bad of [{ seq: -1 }, { seq: 1.5 }, { seq: '3' }, { seq: 3, epoch: 7 }, { seq: 3, epoch: '' }]) {
      assert.deepEqual(toRemembered({ ...state, ...bad }), { state, mark: null }, JSON.stringify(bad));
    }
    assert.equal(toRemembered({ seq: 3, epoch: 'e-1' }), null);
  });
});

describe('aheadOf (never move a phone back to a node a moment behind)', () => {
  it('is true only in the same epoch with a higher seq', () => {
    assert.equal(aheadOf({ seq: 60, epoch: 'e-1' }, { seq: 57, epoch: 'e-1' }), true);
    assert.equal(aheadOf({ seq: 57, epoch: 'e-1' }, { seq: 57, epoch: 'e-1' }), false);
    assert.equal(aheadOf({ seq: 50, epoch: 'e-1' }, { seq: 57, epoch: 'e-1' }), false);
  });

  it('a new epoch (the talk restored) or no epoch at all lets the welcome win', () => {
    assert.equal(aheadOf({ seq: 60, epoch: 'e-1' }, { seq: 3, epoch: 'e-2' }), false);
    assert.equal(aheadOf({ seq: 60 }, { seq: 3 }), false);
    assert.equal(aheadOf(null, { seq: 3, epoch: 'e-1' }), false);
  });
});
