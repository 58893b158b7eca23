import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../store/types.ts';
import { CHAT_EVENTS, ChatLog, sentLineId } from './log.ts';

const sent = (seq: number, data: object, participant = 'p1', key: string | null = `k${seq}`): StoredEvent => ({ seq, at: 1000 + seq, kind: CHAT_EVENTS.sent, data, participant, key });

describe('ChatLog ids', () => {
  it('names a line by the id its event carries, the same whatever seq the event got', () => {
    const id = sentLineId('p1', 'k-a');
    assert.equal(id, sentLineId('p1', 'k-a'), 'any node makes the same id');
    assert.notEqual(id, sentLineId('p2', 'k-a'));
    const log = new ChatLog();
    assert.equal(log.apply(sent(5, { id, text: 'hi', name: null })).kind, 'sent');
    assert.deepEqual(log.all().map((l) => l.id), [id]);
  });

  it('changes nothing when the same line is applied again under another seq (a restore re-submitting it)', () => {
    const id = sentLineId('p1', 'k-b');
    const log = new ChatLog();
    log.apply(sent(3, { id, text: 'once', name: null }));
    assert.equal(log.apply(sent(9, { id, text: 'once', name: null })).kind, 'none');
    assert.equal(log.all().length, 1);
    assert.equal(log.all()[0]!.at, 1003, 'the first stays as it was');
  });

  it('still reads logs written before ids were carried: the id comes from the seq', () => {
    const log = new ChatLog();
    log.apply(sent(7, { text: 'old', name: 'Ann' }));
    assert.equal(log.get('c7')?.text, 'old');
    assert.equal(log.apply({ seq: 8, at: 1008, kind: CHAT_EVENTS.deleted, data: { id: 'c7' }, participant: null, key: null }).kind, 'deleted');
    assert.equal(log.all().length, 0);
  });
});
