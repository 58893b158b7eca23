import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PollDefinition } from '../../../protocol/polls.ts';
import { isFullRanking, tallyRanking } from './ranking.ts';
import { checkBallot, tally } from './tally.ts';

const ranking: PollDefinition = { id: 'r', type: 'ranking', question: 'Order these', options: ['a', 'b', 'c'], results: 'live', open: 'manual', slide: null };

describe('ranking polls', () => {
  it('takes only an order of every option, kept as sent', () => {
    assert.deepEqual(checkBallot(ranking, { choices: [2, 0, 1] }), { ok: true, value: { choices: [2, 0, 1] } });
    assert.equal(checkBallot(ranking, { choices: [2, 0] }).ok, false);
    assert.equal(checkBallot(ranking, { choices: [2, 2, 1] }).ok, false);
    assert.equal(checkBallot(ranking, { choices: [0, 1, 3] }).ok, false);
    assert.equal(isFullRanking([1, 0], 2), true);
  });

  it('tallies Borda points and average ranks', () => {
    // a first twice and last once; c second every time.
    const t = tallyRanking(3, [
      [0, 2, 1],
      [0, 2, 1],
      [1, 2, 0],
    ]);
    assert.deepEqual(t.points, [4, 2, 3]);
    assert.deepEqual(t.ranks, [1.67, 2.33, 2]);
  });

  it('puts points in counts and average ranks in ranks; nobody yet gives zeros', () => {
    const r = tally(ranking, [{ value: { choices: [1, 0, 2] }, seq: 1 }]);
    assert.deepEqual([r.ballots, r.counts, r.ranks], [1, [1, 2, 0], [2, 1, 3]]);
    assert.deepEqual(tally(ranking, []).ranks, [0, 0, 0]);
  });
});
