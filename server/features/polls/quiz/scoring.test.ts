import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCorrect, pointsFor, standings, type QuizAnswer, type QuizQuestion } from './scoring.ts';

const question = (poll: string, answers: Record<string, QuizAnswer>, closed = true): QuizQuestion => ({
  poll,
  correct: [1],
  seconds: 20,
  closed,
  answers: new Map(Object.entries(answers)),
});

describe('quiz scoring', () => {
  describe('pointsFor', () => {
    it('gives nothing for a wrong answer however fast', () => {
      assert.equal(pointsFor(false, 0, 20), 0);
    });
    it('gives 1000 for an instant right answer, 500 at the buzzer, linear between', () => {
      assert.equal(pointsFor(true, 0, 20), 1000);
      assert.equal(pointsFor(true, 10_000, 20), 750);
      assert.equal(pointsFor(true, 20_000, 20), 500);
      assert.equal(pointsFor(true, 25_000, 20), 500, 'never below the points for being right');
    });
    it('rewards the faster of two right answers', () => {
      assert.ok(pointsFor(true, 3_000, 20) > pointsFor(true, 4_000, 20));
    });
  });

  it('needs exactly the correct options, in any order', () => {
    assert.equal(isCorrect([2, 0], [0, 2]), true);
    assert.equal(isCorrect([0], [0, 2]), false);
    assert.equal(isCorrect([0, 1, 2], [0, 2]), false);
  });

  describe('standings', () => {
    it('ranks by points, sums questions, and scores only closed questions', () => {
      const players = standings(
        [
          question('q1', { ann: { choices: [1], ms: 0, seq: 1 }, bob: { choices: [1], ms: 10_000, seq: 2 }, cy: { choices: [0], ms: 0, seq: 3 } }),
          question('q2', { cy: { choices: [1], ms: 0, seq: 4 } }),
          question('q3', { bob: { choices: [1], ms: 0, seq: 5 } }, false),
        ],
        () => undefined,
      );
      assert.deepEqual(
        players.map((p) => [p.participant, p.rank, p.points]),
        [
          ['ann', 1, 1000],
          ['cy', 1, 1000],
          ['bob', 3, 750],
        ],
      );
      assert.deepEqual(players[1]!.answers, [
        { poll: 'q1', correct: false, points: 0 },
        { poll: 'q2', correct: true, points: 1000 },
      ]);
    });

    it('gives the same points the same rank (1, 1, 3) and keeps ties in the order players first answered', () => {
      const answers = { zed: { choices: [1], ms: 0, seq: 1 }, amy: { choices: [1], ms: 0, seq: 2 }, kim: { choices: [0], ms: 0, seq: 3 } };
      const players = standings([question('q1', answers)], () => undefined);
      assert.deepEqual(
        players.map((p) => `${p.rank}:${p.participant}`),
        ['1:zed', '1:amy', '3:kim'],
      );
      // Same input, same order: what a replay after a restart gives.
      assert.deepEqual(standings([question('q1', answers)], () => undefined), players);
    });

    it('names players by nickname, else Player N in the order they first answered', () => {
      const players = standings(
        [question('q1', { a: { choices: [0], ms: 0, seq: 7 }, b: { choices: [1], ms: 0, seq: 9 } })],
        (p) => (p === 'b' ? 'Bea' : undefined),
      );
      assert.deepEqual(
        players.map((p) => p.name),
        ['Bea', 'Player 1'],
      );
    });
  });
});
