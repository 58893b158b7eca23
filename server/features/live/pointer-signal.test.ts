import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { MemoryStore } from '../../store/memory.ts';
import { payloads } from '../../room/frame.ts';
import type { Peer } from '../../room/peer.ts';
import { TalkHost } from '../../talk/host.ts';
import { LocalSignals } from '../../talk/local-log.ts';
import { hashSecret } from '../../talk/secrets.ts';
import { Talk } from '../../talk/talk.ts';
import type { HandlerContext } from '../../talk/feature.ts';
import { liveFeature } from './index.ts';

/** A connection whose socket keeps what is written to it. */
function connection(id: string, role: 'presenter' | 'screen', talk: Talk): { peer: Peer; heard: () => unknown[] } {
  const frames: Buffer[] = [];
  const ws = { readyState: 1, _sender: { _state: 0, _queue: [] }, _socket: { writable: true, write: (b: Buffer) => frames.push(b) > 0 } };
  const peer: Peer = { id, ws: ws as unknown as WebSocket, role, talk, participant: null };
  return { peer, heard: () => frames.flatMap((f) => payloads(f)).map((p) => JSON.parse(p.toString('utf8'))) };
}

async function node(signals: LocalSignals): Promise<TalkHost> {
  const talk = new Talk({ code: 'ABC234', presenterKeyHash: hashSecret('k'), info: { title: 't', stacks: [2], fragments: [[0, 0]] }, notes: {}, store: new MemoryStore() });
  const host = new TalkHost(talk, signals);
  await host.run([liveFeature(host)]);
  return host;
}

describe('the laser pointer across nodes', () => {
  it("reaches a screen on another node through the talk's signals, and is not stored", async () => {
    // One signal bus for both nodes: what Redis pub/sub is to a cluster.
    const signals = new LocalSignals();
    const a = await node(signals);
    const b = await node(signals);
    const presenter = connection('c1', 'presenter', a.talk);
    const screen = connection('c2', 'screen', b.talk);
    b.room.add(screen.peer, 'screen');
    const ctx = { findTalk: () => a, refuse: () => undefined } as HandlerContext;
    a.features.dispatch(presenter.peer, { type: 'pointer', slide: { indexh: 0, indexv: 1 }, at: { x: 0.25, y: 0.5 } }, ctx);
    for (let i = 0; i < 50 && screen.heard().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(screen.heard(), [{ type: 'pointer', slide: { indexh: 0, indexv: 1 }, at: { x: 0.25, y: 0.5 } }]);
    assert.equal(a.talk.seq, 0, 'a pointer move is never stored');
  });

  it('drops a signal that is not a pointer message', async () => {
    const signals = new LocalSignals();
    const b = await node(signals);
    const screen = connection('c2', 'screen', b.talk);
    b.room.add(screen.peer, 'screen');
    signals.publish('live.pointer', { type: 'pointer', slide: { indexh: 0, indexv: 0 }, at: { x: 7, y: 0 }, extra: '<b>' });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(screen.heard(), []);
  });
});
