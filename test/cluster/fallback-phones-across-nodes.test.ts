import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION, type DeckState } from '../../protocol/messages.ts';
import { Cluster, clusterMissing } from '../support/cluster.ts';
import { FallbackClient } from '../support/fallback-client.ts';
import { TestClient } from '../support/client.ts';

const skip = clusterMissing();
const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

/**
 * A phone on the fallback transport (SSE + POST) behind a round-robin balancer: its session
 * lives on one node, yet its stream and its writes land on whichever node the balancer picks.
 * The node that gets a request for another node's session passes it on (no sticky sessions).
 */
describe('fallback phones in a cluster without sticky sessions', { skip: skip ?? false, timeout: 180_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 2 });
    for (const node of cluster.nodes) await cluster.waitHealthy(node);
  });
  after(async () => {
    await cluster?.close();
  });

  it('follows the presenter and has its question stored once, whichever node each request lands on', async () => {
    const before = cluster.nodes.map((node) => cluster.balancer.countFor(node.port));
    const phone = await FallbackClient.open(cluster.port);
    await phone.listen();
    await phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: cluster.code, participant: 'p-fallback' });
    await phone.next('welcome', 10_000);
    const presenter = await TestClient.connect(cluster.port);
    presenter.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: cluster.code, key: cluster.presenterKey });
    await presenter.next('welcome');
    for (const h of [1, 2, 3]) {
      presenter.send({ type: 'goto', state: at(h) });
      assert.deepEqual((await phone.next('deck', 10_000)).state, at(h));
    }
    await phone.send({ type: 'ask', key: 'fb-1', text: 'Does this cross nodes?', slide: { indexh: 3, indexv: 0, indexf: -1 } });
    const ack = await phone.next('ack', 10_000);
    assert.equal(ack.key, 'fb-1');
    // The same write again, as after a lost answer: acknowledged with the same seq, not stored twice.
    await phone.send({ type: 'ask', key: 'fb-1', text: 'Does this cross nodes?', slide: { indexh: 3, indexv: 0, indexf: -1 } });
    assert.equal((await phone.next('ack', 10_000)).seq, ack.seq);
    const used = cluster.nodes.map((node, i) => cluster.balancer.countFor(node.port) - before[i]!);
    assert.ok(used.every((n) => n > 0), `requests reached both nodes: ${used.join(', ')}`);
    presenter.close();
    await phone.close();
  });
});
