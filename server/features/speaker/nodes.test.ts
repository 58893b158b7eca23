import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../store/memory.ts';
import type { Peer } from '../../room/peer.ts';
import { TalkHost } from '../../talk/host.ts';
import { hashSecret } from '../../talk/secrets.ts';
import { Talk } from '../../talk/talk.ts';
import { SPEAKER_EVENTS, speakerFeature, type SpeakerFeature } from './index.ts';
import { mintToken } from './pairing.ts';

/** A node of the talk: its own Talk, host and feature over the one shared log (the store). */
async function node(store: MemoryStore): Promise<{ host: TalkHost; speaker: SpeakerFeature }> {
  const talk = new Talk({ code: 'ABC234', presenterKeyHash: hashSecret('k'), info: { title: 't', stacks: [1], fragments: [[0]] }, notes: {}, store });
  const host = new TalkHost(talk);
  const speaker = speakerFeature(host, { duration: null });
  await host.run([speaker]);
  return { host, speaker };
}

const phone = () => ({ id: 'p', role: null, talk: null, participant: null, ws: { once: () => undefined } }) as unknown as Peer;

describe('remote pairing across nodes', () => {
  it('redeems a token minted on one node on another, once: the second node to try gets pairing_spent', async () => {
    const store = new MemoryStore();
    const a = await node(store);
    const { token, data } = mintToken(60_000);
    // What pairRemote commits on node A before it shows the QR code.
    await a.host.talk.commit({ kind: SPEAKER_EVENTS.token, data, participant: null, key: null });
    assert.ok(!JSON.stringify(store.events('ABC234', 0)).includes(token), 'the log holds the hash, never the token');

    const b = await node(store);
    const paired = await b.speaker.pair(token, 'Phone', Date.now());
    assert.ok(typeof paired === 'object', `node B pairs with node A's token, got ${String(paired)}`);
    assert.equal(b.speaker.admitsPresenter!(phone(), paired.credential), true);

    // Node A has not applied B's pairing (these nodes share no live feed): the log's key still refuses a second pairing.
    const again = await a.speaker.pair(token, 'Other phone', Date.now());
    assert.equal(again, 'pairing_spent');
    assert.equal(store.events('ABC234', 0).filter((e) => e.kind === SPEAKER_EVENTS.paired).length, 1);

    // A node that starts later knows the remote, and the token is spent there too.
    const c = await node(store);
    assert.equal(c.speaker.admitsPresenter!(phone(), paired.credential), true);
    assert.equal(c.speaker.pair(token, 'Third', Date.now()), 'pairing_spent');
  });

  it('lets a token lapse at the time the log gives it, on every node', async () => {
    const store = new MemoryStore();
    const a = await node(store);
    const { token, data } = mintToken(60_000);
    const { seq } = await a.host.talk.commit({ kind: SPEAKER_EVENTS.token, data, participant: null, key: null });
    const at = store.events('ABC234', seq - 1)[0]!.at;
    const b = await node(store);
    assert.equal(b.speaker.pair(token, 'Late', at + 60_000), 'pairing_spent');
  });
});
