import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PollDefinition } from '../../../protocol/polls.ts';
import { PollBoard } from './board.ts';
import { checkBallot, tally } from './tally.ts';

const poll = (type: PollDefinition['type'], options: string[] = []): PollDefinition => ({
  id: 'p',
  type,
  question: 'Q?',
  options,
  results: 'live',
  open: 'manual',
  slide: null,
});

describe('poll ballots and tallies', () => {
  describe('checkBallot', () => {
    it('takes exactly one option for single and rating polls', () => {
      assert.deepEqual(checkBallot(poll('single', ['a', 'b']), { choices: [1] }), { ok: true, value: { choices: [1] } });
      assert.equal(checkBallot(poll('single', ['a', 'b']), { choices: [0, 1] }).ok, false);
      assert.equal(checkBallot(poll('rating', ['1', '2', '3']), { choices: [] }).ok, false);
      assert.equal(checkBallot(poll('single', ['a', 'b']), { choices: [2] }).ok, false);
    });

    it('takes distinct options for multiple polls, sorted', () => {
      assert.deepEqual(checkBallot(poll('multiple', ['a', 'b', 'c']), { choices: [2, 0] }), { ok: true, value: { choices: [0, 2] } });
      assert.equal(checkBallot(poll('multiple', ['a', 'b']), { choices: [1, 1] }).ok, false);
    });

    it('takes tidy text for word and text polls, within their limits', () => {
      assert.deepEqual(checkBallot(poll('words'), { text: '  fast   pipes ' }), { ok: true, value: { text: 'fast pipes' } });
      assert.equal(checkBallot(poll('words'), { text: 'x'.repeat(33) }).ok, false);
      assert.equal(checkBallot(poll('words'), { choices: [0] }).ok, false);
      assert.equal(checkBallot(poll('text'), { text: 'y'.repeat(280) }).ok, true);
    });
  });

  describe('tally', () => {
    it('counts choices per option', () => {
      const r = tally(poll('multiple', ['a', 'b', 'c']), [
        { value: { choices: [0, 2] }, seq: 1 },
        { value: { choices: [2] }, seq: 2 },
      ]);
      assert.deepEqual([r.ballots, r.counts], [2, [1, 0, 2]]);
    });

    it('groups words case-insensitively, most frequent first, shown in lower case', () => {
      const r = tally(poll('words'), ['Fast', 'fast', 'open', 'FAST'].map((text, seq) => ({ value: { text }, seq })));
      assert.deepEqual(r.words, [
        { text: 'fast', count: 3 },
        { text: 'open', count: 1 },
      ]);
    });

    it('lists open answers oldest first', () => {
      const r = tally(poll('text'), ['one', 'two'].map((text, seq) => ({ value: { text }, seq })));
      assert.deepEqual(r.answers, ['one', 'two']);
    });
  });

  describe('PollBoard', () => {
    it('keeps one ballot per participant: a second replaces the first', () => {
      const board = new PollBoard([poll('single', ['a', 'b'])]);
      board.cast('p', 'ann', { choices: [0] }, 1);
      board.cast('p', 'bob', { choices: [0] }, 2);
      board.cast('p', 'ann', { choices: [1] }, 3);
      const entry = board.get('p')!;
      assert.deepEqual(board.results(entry).counts, [1, 1]);
      assert.equal(entry.seq, 3);
    });

    it('counts once per change: the same results until the next ballot, new ones after it', () => {
      const board = new PollBoard([poll('single', ['a', 'b'])]);
      board.cast('p', 'ann', { choices: [0] }, 1);
      const entry = board.get('p')!;
      const first = board.results(entry);
      assert.equal(board.results(entry), first, 'not counted again without a change');
      board.cast('p', 'bob', { choices: [1] }, 2);
      assert.deepEqual(board.results(entry).counts, [1, 1]);
      board.cast('p', 'bob', { choices: [0] }, 3);
      assert.deepEqual(board.results(entry).counts, [2, 0]);
    });

    it('hides live results of a `closed` poll from the audience until it closes', () => {
      const board = new PollBoard([{ ...poll('single', ['a', 'b']), results: 'closed' }]);
      const entry = board.get('p')!;
      board.setStatus('p', 'open', 1);
      assert.equal(board.view(entry, false).results, null);
      assert.notEqual(board.view(entry, true).results, null);
      board.setStatus('p', 'closed', 2);
      assert.notEqual(board.view(entry, false).results, null);
    });

    it('never shows a deny-list, and shows a quiz question\'s answer to the audience only once closed', () => {
      const board = new PollBoard([
        { ...poll('quiz', ['a', 'b']), quiz: { id: 'q', seconds: 20, correct: [1], several: false } },
        { ...poll('words'), id: 'w', deny: ['darn'] },
      ]);
      const quiz = board.get('p')!;
      board.setStatus('p', 'open', 1, 1000);
      assert.equal(quiz.openedAt, 1000);
      assert.equal(board.view(quiz, false).poll.quiz?.correct, undefined);
      assert.deepEqual(board.view(quiz, true).poll.quiz?.correct, [1]);
      board.setStatus('p', 'closed', 2);
      assert.deepEqual(board.view(quiz, false).poll.quiz?.correct, [1]);
      assert.equal(JSON.stringify(board.view(board.get('w')!, true)).includes('darn'), false);
    });

    it('opens an on-slide poll only the first time its slide is shown', () => {
      const board = new PollBoard([{ ...poll('words'), open: 'on-slide', slide: { h: 2, v: 0 } }]);
      assert.equal(board.autoOpening(2, 0).length, 1);
      assert.equal(board.autoOpening(1, 0).length, 0);
      board.setStatus('p', 'open', 1);
      board.setStatus('p', 'closed', 2);
      assert.equal(board.autoOpening(2, 0).length, 0);
    });

    it('replays its own events to the same state', () => {
      const board = new PollBoard([poll('single', ['a', 'b'])]);
      const at = Date.now();
      board.apply({ seq: 1, at, kind: 'poll.created', participant: null, key: 'k', data: { poll: { ...poll('words'), id: 'live-1' } } });
      board.apply({ seq: 2, at, kind: 'poll.opened', participant: null, key: null, data: { poll: 'p' } });
      board.apply({ seq: 3, at, kind: 'poll.ballot', participant: 'ann', key: 'b1', data: { poll: 'p', value: { choices: [1] } } });
      board.apply({ seq: 4, at, kind: 'poll.ballot', participant: 'ann', key: 'b2', data: { poll: 'p', value: { choices: [0] } } });
      board.apply({ seq: 5, at, kind: 'poll.closed', participant: null, key: null, data: { poll: 'p' } });
      const entry = board.get('p')!;
      assert.equal(entry.status, 'closed');
      assert.deepEqual(board.results(entry).counts, [1, 0]);
      assert.equal(board.get('live-1')?.poll.type, 'words');
      assert.equal(board.nextLiveId(), 'live-2');
    });

    it('ignores events a raced write made stale: a ballot behind a close, a second open, a late countdown close', () => {
      const board = new PollBoard([poll('single', ['a', 'b'])]);
      assert.notEqual(board.apply({ seq: 1, at: 1000, kind: 'poll.opened', participant: null, key: null, data: { poll: 'p' } }), null);
      // Another presenter's open on another node: the clock of the first opening stays.
      assert.equal(board.apply({ seq: 2, at: 2000, kind: 'poll.opened', participant: null, key: null, data: { poll: 'p' } }), null);
      assert.equal(board.get('p')!.openedAt, 1000);
      // A countdown close for an opening that is not the current one changes nothing.
      assert.equal(board.apply({ seq: 3, at: 3000, kind: 'poll.closed', participant: '@server', key: 'close:p:0', data: { poll: 'p', opened: 0 } }), null);
      assert.equal(board.get('p')!.status, 'open');
      assert.notEqual(board.apply({ seq: 4, at: 4000, kind: 'poll.closed', participant: '@server', key: 'close:p:1', data: { poll: 'p', opened: 1 } }), null);
      assert.equal(board.apply({ seq: 5, at: 5000, kind: 'poll.ballot', participant: 'ann', key: 'b1', data: { poll: 'p', value: { choices: [0] } } }), null);
      assert.deepEqual(board.results(board.get('p')!).counts, [0, 0]);
    });

    it('gives a live poll made at the same moment on another node the next free id', () => {
      const board = new PollBoard();
      const made = { ...poll('words'), id: 'live-1' };
      board.apply({ seq: 1, at: 0, kind: 'poll.created', participant: null, key: 'a', data: { poll: made } });
      const second = board.apply({ seq: 2, at: 0, kind: 'poll.created', participant: null, key: 'b', data: { poll: { ...made, question: 'Other' } } });
      assert.equal(second?.entry.poll.id, 'live-2');
      assert.equal(board.get('live-2')?.createdSeq, 2);
      assert.equal(board.get('live-1')?.poll.question, made.question);
    });
  });
});
