import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Question } from '../../protocol/qa.ts';
import { InteractionModel } from './model.ts';

const q = (id: string, votes: number, at: number, extra: Partial<Question> = {}): Question => ({
  id,
  text: id,
  name: null,
  slide: { indexh: 0, indexv: 0, indexf: -1 },
  at,
  votes,
  state: 'visible',
  ...extra,
});

describe('InteractionModel', () => {
  it('orders by votes (answered last) or by time', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 5, approveFirst: false, highlight: null, questions: [q('a', 1, 1), q('b', 3, 2), q('c', 0, 3), q('d', 9, 4, { state: 'answered' })] });
    assert.deepEqual(m.list('top').map((x) => x.id), ['b', 'a', 'c', 'd']);
    assert.deepEqual(m.list('recent').map((x) => x.id), ['c', 'b', 'a', 'd']);
  });

  it('drops messages older than the snapshot but accepts several parts of one event', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 10, approveFirst: false, highlight: null, questions: [] });
    assert.equal(m.apply({ type: 'question', seq: 9, question: q('old', 0, 1) }).changed, false);
    assert.equal(m.apply({ type: 'question', seq: 11, question: q('x', 0, 1) }).changed, true);
    assert.equal(m.apply({ type: 'qa_state', seq: 11, approveFirst: false, highlight: 'x' }).changed, true);
    assert.equal(m.highlight, 'x');
  });

  it('tells the asker when their question is answered, approved or hidden', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 1, approveFirst: true, highlight: null, questions: [q('a', 0, 1, { state: 'pending', mine: true })] });
    const kinds = ['visible', 'answered', 'hidden'].map(
      (state, i) => m.apply({ type: 'question', seq: 2 + i, question: q('a', 0, 1, { state: state as Question['state'], mine: true }) }).notices[0]?.kind,
    );
    assert.deepEqual(kinds, ['approved', 'answered', 'hidden']);
  });

  it('shows a vote on its way at once and settles on the server count', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 1, approveFirst: false, highlight: null, questions: [q('a', 2, 1, { voted: false })] });
    m.pendingVotes.set('a', true);
    assert.equal(m.votes(m.questions.get('a')!), 3);
    assert.equal(m.hasVoted('a'), true);
    m.apply({ type: 'question', seq: 2, question: q('a', 3, 1, { voted: true }) });
    assert.equal(m.votes(m.questions.get('a')!), 3);
    assert.equal(m.pendingVotes.size, 0);
  });
});

describe('InteractionModel: answers, edits and muting', () => {
  it('tells the asker when their question gets an answer in text, and stops offering edits', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 1, approveFirst: false, highlight: null, questions: [q('a', 0, 1, { mine: true })] });
    assert.equal(m.canChange(m.questions.get('a')!), true);
    const { notices } = m.apply({ type: 'question', seq: 2, question: q('a', 0, 1, { mine: true, answer: { text: 'Yes', at: 5 } }) });
    assert.deepEqual(notices.map((n) => n.kind), ['answered']);
    assert.equal(m.canChange(m.questions.get('a')!), false);
    // The same answer again (a vote moved) is no news.
    assert.deepEqual(m.apply({ type: 'question', seq: 3, question: q('a', 1, 1, { mine: true, answer: { text: 'Yes', at: 5 } }) }).notices, []);
  });

  it('never offers edits on questions that are not the participant’s', () => {
    const m = new InteractionModel();
    m.apply({ type: 'qa_snapshot', seq: 1, approveFirst: false, highlight: null, questions: [q('b', 0, 1)] });
    assert.equal(m.canChange(m.questions.get('b')!), false);
  });

  it('follows muted and the staff list of muted handles', () => {
    const m = new InteractionModel();
    m.apply({ type: 'muted', seq: 3, muted: true, message: 'paused' });
    assert.equal(m.muted, true);
    m.apply({ type: 'muted', seq: 4, muted: false, message: 'again' });
    assert.equal(m.muted, false);
    m.apply({ type: 'mutes', seq: 5, authors: ['pA', 'pB'] });
    assert.deepEqual([...m.mutedAuthors], ['pA', 'pB']);
  });
});
