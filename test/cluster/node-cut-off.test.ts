/**
 * T6 of the cluster test plan: one node cut off from Redis with no FIN (its FaultProxy
 * blackholes). Briefly: it catches up when the link heals and its phones see no gap. For long:
 * its /healthz says 503 within a few seconds, the balancer (as a real one does on that health
 * check) stops sending it phones, and after 10 s it closes its phones with 1012; they come back
 * through the balancer and resume on the other nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLUSTER_CLOSE_CODES } from '../../protocol/cluster.ts';
import { Cluster, clusterMissing, healthStatus } from '../support/cluster.ts';
import { ClusterPhone, SMALL_DECK_STEPS, eventually, withNodeLogs } from '../support/cluster-phone.ts';

const skip = clusterMissing();

describe('a node cut off from Redis', { skip: skip ?? false, timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 3, faults: true });
  });
  after(async () => {
    await cluster?.close();
  });

  it('briefly (3 s): it catches up when the link heals, and its phones see every move with no gap', () =>
    withNodeLogs(cluster.nodes, async () => {
      const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
      const presenter = await ClusterPhone.join(a.port, cluster.code, { role: 'presenter', key: cluster.presenterKey });
      const phones = await Promise.all(Array.from({ length: 10 }, (_, i) => ClusterPhone.join(b.port, cluster.code, { participant: `t6a.p${i}` })));
      // Held, not dropped: a brief partition heals within TCP's retransmissions.
      b.proxy!.stall();
      let last = 0;
      for (let n = 0; n < 10; n++) {
        presenter.send({ type: 'goto', state: SMALL_DECK_STEPS[(n + 1) % SMALL_DECK_STEPS.length]! });
        last = ((await presenter.waitFor((m) => m.type === 'deck', 10_000)) as { seq: number }).seq;
        await sleep(200);
      }
      b.proxy!.heal();
      const healedAt = Date.now();
      await Promise.all(phones.map((phone) => phone.reach(last, 20_000)));
      console.log(`# T6a: node cut off 3 s; its phones caught up ${Date.now() - healedAt} ms after the link healed`);
      for (const phone of phones) {
        assert.deepEqual(phone.violations, [], 'strictly rising seqs');
        const decks = phone.changes.filter((c) => c.type === 'deck').map((c) => c.seq);
        assert.equal(decks.length, 10, 'every move reached the cut-off node’s phone, in order');
        assert.equal(phone.closeCode, null, 'nobody was disconnected');
      }
      for (const c of [presenter, ...phones]) c.close();
      await cluster.waitHealthy(b, 30_000);
    }));

  it('for long (>10 s): /healthz 503 within seconds, its phones closed with 1012 resume on the others', () =>
    withNodeLogs(cluster.nodes, async () => {
      const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
      const presenter = await ClusterPhone.join(a.port, cluster.code, { role: 'presenter', key: cluster.presenterKey });
      const phones = await Promise.all(Array.from({ length: 20 }, (_, i) => ClusterPhone.join(b.port, cluster.code, { participant: `t6b.p${i}` })));
      presenter.send({ type: 'goto', state: SMALL_DECK_STEPS[2]! });
      const before = ((await presenter.waitFor((m) => m.type === 'deck', 10_000)) as { seq: number }).seq;
      await Promise.all(phones.map((phone) => phone.reach(before)));

      b.proxy!.blackhole();
      const cutAt = Date.now();
      await eventually('the cut-off node reports 503', async () => (await healthStatus(b)) === 503, 15_000, 100);
      const detectedMs = Date.now() - cutAt;
      // What a real balancer's health check does: no new phones for an unhealthy node.
      cluster.balancer.remove(b.port);
      presenter.send({ type: 'goto', state: SMALL_DECK_STEPS[3]! });
      const moved = ((await presenter.waitFor((m) => m.type === 'deck', 10_000)) as { seq: number }).seq;

      const codes = await Promise.all(phones.map((phone) => Promise.race([phone.closed, sleep(40_000).then(() => -1)])));
      const drainedMs = Date.now() - cutAt;
      assert.deepEqual(new Set(codes), new Set([CLUSTER_CLOSE_CODES.serviceRestart]), 'every phone is closed with 1012');
      const back = await Promise.all(
        phones.map(async (phone) => {
          const again = await ClusterPhone.join(cluster.port, cluster.code, { participant: phone.options.participant!, resume: { epoch: phone.epoch, lastSeq: phone.lastSeq }, timeoutMs: 30_000 });
          assert.equal(again.joinedBy, 'resumed', `${phone.options.participant} resumes on another node`);
          return again;
        }),
      );
      await Promise.all(back.map((phone) => phone.reach(moved, 15_000)));
      console.log(`# T6b: /healthz 503 ${detectedMs} ms after the cut; phones closed (1012) by ${drainedMs} ms; all ${back.length} resumed elsewhere and got the move made meanwhile`);
      assert.ok(detectedMs < 5_000, `503 within a few seconds (took ${detectedMs} ms)`);
      b.proxy!.heal();
      cluster.balancer.add(b.port);
      for (const c of [presenter, ...back]) c.close();
    }));
});
