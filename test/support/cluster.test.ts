import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, clusterMissing, healthStatus } from './cluster.ts';

const skip = clusterMissing();

/** One GET through the balancer, on a fresh connection, returning the status (the node is counted by the balancer). */
async function viaBalancer(cluster: Cluster): Promise<number> {
  const res = await fetch(`${cluster.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
  await res.body?.cancel();
  return res.status;
}

describe('the cluster harness', { skip: skip ?? false, timeout: 180_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 2, faults: true });
  });
  after(async () => {
    await cluster?.close();
  });

  it('starts every node on the registered talk, healthy, behind the balancer', async () => {
    assert.match(cluster.code, /^[A-Z0-9]+$/);
    assert.ok(cluster.presenterKey.length > 0);
    assert.match(cluster.nodes[0]!.output(), new RegExp(`Presenter: ${cluster.url}/presenter/${cluster.code}#key=`), 'links point at the balancer');
    for (const node of cluster.nodes) await cluster.waitHealthy(node);
    for (let i = 0; i < 4; i++) assert.equal(await viaBalancer(cluster), 200);
    for (const node of cluster.nodes) assert.equal(cluster.balancer.countFor(node.port), 2, `node ${node.index} got its turn`);
  });

  it('restarts a killed node on the same port and data directory', async () => {
    const node = cluster.nodes[1]!;
    await node.kill9();
    assert.equal(node.running, false);
    assert.notEqual(await healthStatus(node), 200);
    for (let i = 0; i < 2; i++) assert.equal(await viaBalancer(cluster), 200, 'the balancer skips the dead node');
    await node.restart();
    await cluster.waitHealthy(node);
    assert.match(node.output(), new RegExp(`Node ready: talk ${cluster.code}`));
  });
});
