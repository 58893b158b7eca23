import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../store/types.ts';
import { QA_EVENTS, QaBoard } from './board.ts';
import { WindowLimiter } from './window.ts';

let seq = 0;
const ev = (kind: string, data: unknown, participant: string | null = null, key: string | null = null): StoredEvent => ({ kind, data, participant, key, seq: ++seq, at: seq });
const askEv = (who: string, state: 'pending' | 'visible' = 'visible') =>
  ev(QA_EVENTS.asked, { text: `from ${who}`, name: null, slide: { indexh: 1, indexv: 0, indexf: -1 }, state }, who, `k${seq}`);

describe('QaBoard', () => {
  it('derives ids from the asking event and remembers keys for resends', () => {
    const board = new QaBoard();
    const e = askEv('p1');
    board.apply(e);
    assert.ok(board.get(`q${e.seq}`));
    assert.equal(board.seenKey('p1', e.key!), e.seq);
  });

  it('counts one vote per participant and lets it be taken back', () => {
    const board = new QaBoard();
    const e = askEv('p1');
    board.apply(e);
    const id = `q${e.seq}`;
    board.apply(ev(QA_EVENTS.voted, { question: id, on: true }, 'p2'));
    assert.equal(board.apply(ev(QA_EVENTS.voted, { question: id, on: true }, 'p2')).kind, 'none');
    board.apply(ev(QA_EVENTS.voted, { question: id, on: true }, 'p3'));
    board.apply(ev(QA_EVENTS.voted, { question: id, on: false }, 'p3'));
    assert.equal(board.view(board.get(id)!).votes, 1);
    assert.equal(board.view(board.get(id)!, 'p2').voted, true);
  });

  it('shows staff everything and others only public questions and their own', () => {
    const board = new QaBoard();
    board.apply(askEv('p1', 'pending'));
    board.apply(askEv('p2', 'visible'));
    assert.equal(board.snapshot(true, null).length, 2);
    assert.equal(board.snapshot(false, 'p3').length, 1);
    const own = board.snapshot(false, 'p1');
    assert.equal(own.length, 2);
    assert.equal(own.find((q) => q.state === 'pending')?.mine, true);
  });

  it('moves through moderation states and ends the highlight on answer or hide', () => {
    const board = new QaBoard();
    const e = askEv('p1', 'pending');
    board.apply(e);
    const id = `q${e.seq}`;
    const mod = (action: string) => board.apply(ev(QA_EVENTS.moderated, { question: id, action }));
    assert.equal(board.wouldChange({ question: id, action: 'reopen' }), false);
    mod('highlight');
    assert.equal(board.get(id)!.state, 'visible', 'highlighting a pending question publishes it');
    assert.equal(board.highlight, id);
    mod('answer');
    assert.equal(board.get(id)!.state, 'answered');
    assert.equal(board.highlight, null);
    mod('reopen');
    mod('hide');
    assert.equal(board.get(id)!.state, 'hidden');
    mod('show');
    assert.equal(board.get(id)!.state, 'visible');
    const removed = mod('delete');
    assert.equal(removed.kind, 'removed');
    assert.equal(board.get(id), undefined);
  });

  it('follows the approve-first mode', () => {
    const board = new QaBoard();
    board.apply(ev(QA_EVENTS.mode, { approveFirst: true }));
    assert.equal(board.approveFirst, true);
  });
});

describe('WindowLimiter', () => {
  it('allows the count within the window and says how long to wait', () => {
    let now = 0;
    const limiter = new WindowLimiter({ count: 3, windowMs: 60_000 }, () => now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    now = 20_000;
    assert.equal(limiter.take('a'), 40_000);
    assert.equal(limiter.take('b'), 0, 'limits are per participant');
    now = 60_000;
    assert.equal(limiter.take('a'), 0);
  });
});
