import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { Peer } from '../relay/peer.ts';
import { NetworkBudget } from './network-budget.ts';

/** A peer whose socket can be closed by the test; the budget reads only readyState and 'close'. */
function peerAt(address: string, id: string): Peer & { closeSocket(): void } {
  const ws = Object.assign(new EventEmitter(), { OPEN: 1, readyState: 1 });
  return {
    id,
    ws: ws as unknown as WebSocket,
    role: 'audience',
    talk: null,
    participant: id,
    address,
    closeSocket() {
      ws.readyState = 3;
      ws.emit('close');
    },
  };
}

describe('NetworkBudget', () => {
  const limits = { ask: { count: 3, windowMs: 60_000 }, chat: { count: 10, windowMs: 30_000 }, upvote: { count: 30, windowMs: 10_000 }, ballot: { count: 20, windowMs: 30_000 } };

  it('holds an address to one phone\'s worth when its connections come one after another', () => {
    let now = 1_000_000;
    const budget = new NetworkBudget(limits, () => now);
    const taken: number[] = [];
    for (let n = 0; n < 20; n++) {
      const peer = peerAt('10.0.0.1', `rotating-${n}`);
      taken.push(budget.take(peer, 'ask'));
      peer.closeSocket();
      now += 100;
    }
    assert.equal(taken.filter((w) => w === 0).length, 3);
    const wait = taken[3]!;
    assert.ok(wait > 55_000 && wait <= 60_000, `says how long to wait (${wait} ms)`);
    assert.equal(budget.take(peerAt('10.0.0.2', 'elsewhere'), 'ask'), 0, 'another address has its own budget');
    now += 60_000;
    assert.equal(budget.take(peerAt('10.0.0.1', 'later'), 'ask'), 0, 'the window moves on');
  });

  it('grows with the open connections that write: a venue behind one NAT address', () => {
    const now = 5_000_000;
    const budget = new NetworkBudget(limits, () => now);
    const phones = Array.from({ length: 500 }, (_, i) => peerAt('192.0.2.7', `phone-${i}`));
    // Every phone sends its three chat lines at once (a burst no real room makes): none refused.
    const refused = phones.flatMap((p) => [1, 2, 3].map(() => budget.take(p, 'chat'))).filter((w) => w > 0);
    assert.deepEqual(refused, []);
    for (const p of phones.slice(1)) p.closeSocket();
    assert.ok(budget.take(phones[0]!, 'chat') > 0, 'once they have gone, what they sent still counts for the window');
  });

  it('counts each kind on its own', () => {
    const budget = new NetworkBudget(limits, () => 0);
    const peer = peerAt('10.0.0.3', 'one');
    for (let i = 0; i < 3; i++) assert.equal(budget.take(peer, 'ask'), 0);
    assert.ok(budget.take(peer, 'ask') > 0);
    assert.equal(budget.take(peer, 'chat'), 0);
    assert.equal(budget.take(peer, 'ballot'), 0);
  });
});
