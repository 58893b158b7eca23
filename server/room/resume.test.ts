import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerMessage } from '../../protocol/messages.ts';
import { ResumeBuffer } from './resume.ts';

const deck = (seq: number): ServerMessage => ({
  type: 'deck',
  seq,
  origin: 'p',
  state: { indexh: seq, indexv: 0, indexf: -1, paused: false, overview: false },
});
const seqs = (list: string[] | null) => list?.map((json) => (JSON.parse(json) as { seq: number }).seq) ?? null;

describe('ResumeBuffer', () => {
  it('returns exactly the messages after lastSeq that the role was sent', () => {
    const ring = new ResumeBuffer(10);
    for (let s = 11; s <= 15; s++) ring.record(deck(s), s === 13 ? ['presenter'] : null);
    assert.deepEqual(seqs(ring.missedSince(12, 'audience', 15)), [14, 15]);
    assert.deepEqual(seqs(ring.missedSince(12, 'presenter', 15)), [13, 14, 15]);
    assert.deepEqual(seqs(ring.missedSince(15, 'audience', 15)), []);
  });

  it('cannot vouch for a seq from before this process started, or from the future', () => {
    const ring = new ResumeBuffer(10);
    ring.record(deck(11), null);
    assert.equal(ring.missedSince(10, 'audience', 11), null, 'the start seq itself may be from a previous process');
    assert.equal(ring.missedSince(3, 'audience', 11), null);
    assert.equal(ring.missedSince(12, 'audience', 11), null);
  });

  it('forgets beyond its size and then answers unknown for older gaps', () => {
    const ring = new ResumeBuffer(0, { maxMessages: 5 });
    for (let s = 1; s <= 20; s++) ring.record(deck(s), null);
    assert.equal(ring.size, 5);
    assert.equal(ring.missedSince(10, 'audience', 20), null);
    assert.deepEqual(seqs(ring.missedSince(15, 'audience', 20)), [16, 17, 18, 19, 20]);
  });

  it('forgets messages older than its age limit', async () => {
    const ring = new ResumeBuffer(0, { maxAgeMs: 30 });
    ring.record(deck(1), null);
    ring.record(deck(2), null);
    await new Promise((r) => setTimeout(r, 50));
    ring.record(deck(3), null);
    assert.equal(ring.missedSince(1, 'audience', 3), null);
    assert.deepEqual(seqs(ring.missedSince(2, 'audience', 3)), [3]);
  });

  it('ignores messages without a seq', () => {
    const ring = new ResumeBuffer(0);
    ring.record({ type: 'presence', audience: 3 }, null);
    assert.equal(ring.size, 0);
  });

  it('gives the missed messages as the JSON a client would get, the same text for every resume', () => {
    const ring = new ResumeBuffer(10);
    for (let s = 11; s <= 13; s++) ring.record(deck(s), null);
    const first = ring.missedSince(11, 'audience', 13);
    assert.deepEqual(first, [JSON.stringify(deck(12)), JSON.stringify(deck(13))]);
    assert.deepEqual(ring.missedSince(11, 'screen', 13), first);
    assert.equal(ring.missedSince(10, 'audience', 13), null);
  });
});
