import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toDeckState } from './last-state.ts';

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
