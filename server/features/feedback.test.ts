/**
 * The feedback feature as two nodes of a cluster see it: two hosts of one talk on one store (each
 * applying only its own commits, as a node that has not heard the other's yet) and one signal bus.
 * Whatever the server writes by itself, every node writes; the log must keep one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WelcomeMessage } from '../../protocol/messages.ts';
import type { PollDefinition } from '../../protocol/polls.ts';
import type { Peer } from '../room/peer.ts';
import { MemoryStore } from '../store/memory.ts';
import type { HandlerContext } from '../talk/feature.ts';
import { TalkHost } from '../talk/host.ts';
import { LocalSignals } from '../talk/local-log.ts';
import type { Signals } from '../talk/log.ts';
import { hashSecret } from '../talk/secrets.ts';
import { Talk } from '../talk/talk.ts';
import { deckFeature } from './deck/index.ts';
import { feedbackFeature } from './feedback.ts';

const QUIZ: PollDefinition = {
  id: 'q1',
  type: 'quiz',
  question: 'Two plus two?',
  options: ['3', '4'],
  results: 'closed',
  open: 'manual',
  slide: null,
  quiz: { id: 'quiz', seconds: 0.15, correct: [1], several: false },
};
const ON_SLIDE: PollDefinition = { id: 'p1', type: 'single', question: 'Tea?', options: ['yes', 'no'], results: 'live', open: 'on-slide', slide: { h: 1, v: 0 } };

async function node(store: MemoryStore, signals: Signals = new LocalSignals()): Promise<TalkHost> {
  const talk = new Talk({ code: 'ABC234', presenterKeyHash: hashSecret('k'), info: { title: 't', stacks: [1, 1], fragments: [[0], [0]] }, notes: {}, store });
  const host = new TalkHost(talk, signals);
  await host.run([deckFeature(host), feedbackFeature(host, [QUIZ, ON_SLIDE])]);
  return host;
}

function kinds(store: MemoryStore, kind: string) {
  return store.events('ABC234', 0).filter((e) => e.kind === kind);
}

/** A connection whose replies go nowhere (a closed socket): these tests read state, not frames. */
function peer(id: string, role: Peer['role']): Peer {
  return { id, ws: { readyState: 3 }, role, talk: null, participant: role === 'audience' ? `p-${id}` : null } as unknown as Peer;
}

const ctx = {} as HandlerContext;

function staffTotals(host: TalkHost): WelcomeMessage['reactions'] {
  const welcome = {} as WelcomeMessage;
  host.features.welcome(peer('staff', 'presenter'), welcome);
  return welcome.reactions;
}

describe('feedback across nodes', () => {
  it('stores a quiz question closed by two nodes\' countdowns once', async (t) => {
    const store = new MemoryStore();
    const a = await node(store);
    await a.talk.commit({ kind: 'poll.opened', data: { poll: 'q1' }, participant: null, key: null });
    // The second node starts with the question open: its countdown runs for the rest of the time.
    const b = await node(store);
    t.after(() => (a.dispose(), b.dispose()));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const closed = kinds(store, 'poll.closed');
    assert.equal(closed.length, 1, 'one close, not one per node');
    assert.equal(closed[0]!.participant, '@server');
    assert.deepEqual(closed[0]!.data, { poll: 'q1', opened: 1 });
  });

  it('stores a poll opening itself on its slide once, however many nodes show the slide', async (t) => {
    const store = new MemoryStore();
    const a = await node(store);
    const b = await node(store);
    t.after(() => (a.dispose(), b.dispose()));
    const slide = { indexh: 1, indexv: 0, indexf: -1, paused: false, overview: false };
    await a.talk.commit({ kind: 'deck', data: slide, participant: null, key: null });
    await b.talk.commit({ kind: 'deck', data: slide, participant: null, key: null });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(kinds(store, 'poll.opened').length, 1);
  });

  it('counts a reaction on every node, and the sender\'s limit where it is connected', async (t) => {
    const bus = new LocalSignals();
    const store = new MemoryStore();
    const a = await node(store, bus);
    const b = await node(store, bus);
    t.after(() => (a.dispose(), b.dispose()));
    const phone = peer('phone', 'audience');
    for (let i = 0; i < 10; i++) a.features.dispatch(phone, { type: 'react', reaction: 'clap' }, ctx);
    assert.deepEqual(staffTotals(b), { clap: 6 }, 'the burst of six reaches the other node; the rest was refused');
    assert.deepEqual(staffTotals(a), { clap: 6 });
    assert.equal(store.events('ABC234', 0).length, 0, 'reactions are never stored');
  });

  it('lets a console on any node see a pace signal taken on another', async (t) => {
    const bus = new LocalSignals();
    const store = new MemoryStore();
    const a = await node(store, bus);
    const b = await node(store, bus);
    t.after(() => (a.dispose(), b.dispose()));
    a.features.dispatch(peer('phone', 'audience'), { type: 'pace', signal: 'fast' }, ctx);
    const [gauge] = b.features.joined(peer('staff', 'presenter'), { resumed: false, lastSeq: undefined });
    const report = JSON.parse(gauge!) as { type: string; active: { fast: number; slow: number }; slides: Record<string, { fast: number }> };
    assert.equal(report.type, 'paceReport');
    assert.deepEqual(report.active, { fast: 1, slow: 0 });
    assert.equal(report.slides['0/0']?.fast, 1, 'about the slide the taking node showed');
  });
});
