import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PollDefinition } from '../../../protocol/polls.ts';
import { checkBallot, tally } from './tally.ts';
import { denySet, isDenied, normalizeWord, wordsOf } from './words.ts';

const cloud = (extra: Partial<PollDefinition> = {}): PollDefinition => ({
  id: 'w',
  type: 'words',
  question: 'One word?',
  options: [],
  results: 'live',
  open: 'manual',
  slide: null,
  ...extra,
});

describe('word clouds', () => {
  it('normalises case, spacing, width and control characters', () => {
    assert.equal(normalizeWord('  Web\tSockets  '), 'web sockets');
    assert.equal(normalizeWord('ＦＡＳＴ'), 'fast');
    assert.equal(normalizeWord('re\u202Eal\u0007time'), 'realtime');
  });

  it('counts one entry per word and a person once per word', () => {
    assert.deepEqual(wordsOf({ words: ['Fast', ' fast ', 'Open'] }), ['fast', 'open']);
    const results = tally(cloud({ maxWords: 3 }), [
      { value: { words: ['fast', 'open'] }, seq: 1 },
      { value: { words: ['FAST', 'live'] }, seq: 2 },
      { value: { text: 'Fast' }, seq: 3 },
    ]);
    assert.deepEqual(results.words, [
      { text: 'fast', count: 3 },
      { text: 'live', count: 1 },
      { text: 'open', count: 1 },
    ]);
  });

  it('takes up to max-words words (1 by default) and refuses more', () => {
    assert.equal(checkBallot(cloud(), { words: ['a', 'b'] }).ok, false);
    assert.deepEqual(checkBallot(cloud({ maxWords: 3 }), { words: [' A ', 'b', 'a'] }), { ok: true, value: { words: ['a', 'b'] } });
    assert.equal(checkBallot(cloud({ maxWords: 3 }), { words: ['a', 'b', 'c', 'd'] }).ok, false);
    assert.equal(checkBallot(cloud({ maxWords: 3 }), { words: [' ', ''] }).ok, false);
    assert.deepEqual(checkBallot(cloud(), { text: '  Fast   Pipes ' }), { ok: true, value: { text: 'fast pipes' } });
  });

  describe('deny-list', () => {
    const deny = denySet(['Darn', ' heck ']);
    it('denies a word, and an entry that holds a denied word', () => {
      assert.equal(isDenied('darn', deny), true);
      assert.equal(isDenied('darn it', deny), true);
      assert.equal(isDenied('oh-heck', deny), true);
      assert.equal(isDenied('darning', deny), false, 'a longer word that starts the same is not denied');
      assert.equal(isDenied('anything', denySet([])), false);
    });
    it('never counts a denied word, whatever its case or spacing', () => {
      const results = tally(cloud({ maxWords: 2, deny: ['darn'] }), [
        { value: { words: ['DARN', 'fast'] }, seq: 1 },
        { value: { text: ' Darn ' }, seq: 2 },
      ]);
      assert.deepEqual(results.words, [{ text: 'fast', count: 1 }]);
      assert.equal(results.ballots, 2, 'the person still counts as having answered');
    });
  });
});
