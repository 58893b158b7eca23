import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, type OutboxStorage } from './outbox.ts';

interface Msg {
  type: 'chat';
  key: string;
  text: string;
}

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('Outbox', () => {
  it('sends at once and keeps the message until it is acknowledged', () => {
    const sent: Msg[] = [];
    const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (sent.push(m), true), storage: null });
    box.send({ type: 'chat', key: 'k1', text: 'hi' });
    assert.equal(sent.length, 1);
    assert.equal(box.has('k1'), true);
    assert.equal(box.ack('k1'), true);
    assert.equal(box.has('k1'), false);
    assert.equal(box.ack('k1'), false, 'a second ack is harmless');
  });

  it('resends everything unacknowledged on flush, oldest first', () => {
    let up = false;
    const sent: string[] = [];
    const box = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (up ? (sent.push(m.key), true) : false), storage: null });
    box.send({ type: 'chat', key: 'a', text: '1' });
    box.send({ type: 'chat', key: 'b', text: '2' });
    up = true;
    box.flush();
    box.ack('a');
    box.flush();
    assert.deepEqual(sent, ['a', 'b', 'b']);
  });

  it('survives a reload through storage, and forgets rejected messages', () => {
    const storage = memoryStorage();
    const first = new Outbox<Msg>({ storageKey: 'o', transport: () => false, storage });
    first.send({ type: 'chat', key: 'a', text: '1' });
    first.send({ type: 'chat', key: 'b', text: '2' });
    first.reject('a');
    const sent: string[] = [];
    const reloaded = new Outbox<Msg>({ storageKey: 'o', transport: (m) => (sent.push(m.key), true), storage });
    reloaded.flush();
    assert.deepEqual(sent, ['b']);
  });

  it('does not queue the same key twice and gives up on stale entries', () => {
    let now = 0;
    const box = new Outbox<Msg>({ storageKey: 'o', transport: () => false, storage: null, maxAgeMs: 1000, now: () => now });
    box.send({ type: 'chat', key: 'a', text: '1' });
    box.send({ type: 'chat', key: 'a', text: '1' });
    assert.equal(box.pending().length, 1);
    now = 5000;
    box.flush();
    assert.equal(box.pending().length, 0);
  });

  it('treats unreadable storage as empty', () => {
    const storage = memoryStorage();
    storage.data.set('o', '{not json');
    const box = new Outbox<Msg>({ storageKey: 'o', transport: () => true, storage });
    assert.deepEqual(box.pending(), []);
  });
});
