import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import type { Peer } from '../room/peer.ts';
import { NetworkBudget } from './network-budget.ts';

/** A phone's connection as the budget sees it: an id and the address the relay read. */
const peerAt = (address: string, id: string): Peer => ({ id, ws: null as unknown as WebSocket, role: 'audience', talk: null, participant: id, address });

describe('NetworkBudget', () => {
  const limits = { ask: { count: 3, windowMs: 60_000 }, chat: { count: 10, windowMs: 30_000 }, upvote: { count: 30, windowMs: 10_000 }, ballot: { count: 5, windowMs: 30_000 } };

  it("holds an address to one phone's worth when its connections come one after another", () => {
    let now = 1_000_000;
    const budget = new NetworkBudget(limits, () => now);
    const taken: number[] = [];
    for (let n = 0; n < 20; n++) {
      const peer = peerAt('10.0.0.1', `rotating-${n}`);
      budget.joined(peer);
      taken.push(budget.take(peer, 'ask'));
      budget.left(peer);
      now += 100;
    }
    assert.equal(taken.filter((w) => w === 0).length, 3);
    const wait = taken[3]!;
    assert.ok(wait > 50_000 && wait <= 60_000, `says how long to wait (${wait} ms)`);
    assert.equal(budget.take(peerAt('10.0.0.2', 'elsewhere'), 'ask'), 0, 'another address has its own budget');
    now += 60_000;
    assert.equal(budget.take(peerAt('10.0.0.1', 'later'), 'ask'), 0, 'the window moves on');
  });

  it('grows with the audience connections open at the address: a venue behind one NAT, before and after a Wi-Fi blip', () => {
    let now = 5_000_000;
    const budget = new NetworkBudget(limits, () => now);
    const room = (tag: string) => Array.from({ length: 500 }, (_, i) => peerAt('192.0.2.7', `${tag}-${i}`));
    const before = room('phone');
    for (const p of before) budget.joined(p);
    // Every phone sends five chat lines at once (more than a real room does): none refused.
    assert.deepEqual(before.flatMap((p) => [1, 2, 3, 4, 5].map(() => budget.take(p, 'chat'))).filter((w) => w > 0), []);
    for (const p of before) budget.left(p);
    now += 1000;
    const after = room('again');
    for (const p of after) budget.joined(p);
    assert.deepEqual(after.map((p) => budget.take(p, 'chat')).filter((w) => w > 0), [], 'the lines sent before the blip still count, and fit');
  });

  it('lets phones that came at once, wrote and went (an outbox resending after a restart) all store', () => {
    const budget = new NetworkBudget(limits, () => 7_000_000);
    const phones = Array.from({ length: 200 }, (_, i) => peerAt('192.0.2.8', `resender-${i}`));
    for (const p of phones) budget.joined(p);
    const waits = phones.map((p) => {
      const wait = budget.take(p, 'ballot');
      budget.left(p);
      return wait;
    });
    assert.deepEqual(waits.filter((w) => w > 0), []);
  });

  it('counts each kind on its own', () => {
    const budget = new NetworkBudget(limits, () => 0);
    const peer = peerAt('10.0.0.3', 'one');
    budget.joined(peer);
    for (let i = 0; i < 3; i++) assert.equal(budget.take(peer, 'ask'), 0);
    assert.ok(budget.take(peer, 'ask') > 0);
    assert.equal(budget.take(peer, 'chat'), 0);
    assert.equal(budget.take(peer, 'ballot'), 0);
  });

  it('takes back a write that was not stored, so a phone retrying through an outage keeps its budget', () => {
    let now = 1_000_000;
    const budget = new NetworkBudget(limits, () => now);
    const phone = peerAt('10.0.0.9', 'retrying');
    budget.joined(phone);
    // Ten attempts at one question, each answered "unavailable" and given back: never refused.
    for (let attempt = 0; attempt < 10; attempt++) {
      assert.equal(budget.take(phone, 'ask'), 0, `attempt ${attempt}`);
      budget.giveBack(phone, 'ask');
      now += 600;
    }
    // Without giving back, the fourth attempt in the window is refused.
    for (let n = 0; n < 3; n++) assert.equal(budget.take(phone, 'ask'), 0);
    assert.ok(budget.take(phone, 'ask') > 0);
  });
});
