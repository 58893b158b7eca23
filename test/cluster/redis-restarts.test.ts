/**
 * T4/T5 of the cluster test plan: Redis restarted under a running talk. With AOF (SIGTERM and
 * kill -9) nothing acknowledged is lost and the epoch stays. Without persistence Redis comes
 * back empty: the epoch changes, the nodes restore the talk from their SQLite mirrors (every
 * acknowledged write is back), a phone whose position lies in the restored lineage resumes, and
 * a write refused as `unavailable` during the outage, resent, is stored once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, clusterMissing } from '../support/cluster.ts';
import { ClusterPhone, eventually, exportFrom, withNodeLogs } from '../support/cluster-phone.ts';

const skip = clusterMissing();

interface Exported {
  chat: Array<{ text: string }>;
}

async function chatTexts(cluster: Cluster, node = cluster.nodes[0]!): Promise<string[]> {
  return ((JSON.parse(await exportFrom(node.url, cluster.code, cluster.presenterKey, 'json')) as Exported).chat ?? []).map((l) => l.text);
}

/** Writes `count` chat lines from one phone, each acknowledged; returns their texts. */
async function ackedLines(phone: ClusterPhone, prefix: string, count: number): Promise<string[]> {
  const texts: string[] = [];
  for (let n = 0; n < count; n++) {
    const text = `${prefix} line ${n}`;
    const answer = await phone.writeUntilAnswered({ type: 'chat', key: `${prefix}.${n}`, text }, 30_000);
    assert.ok(answer && 'seq' in answer, `${text} is acknowledged: ${JSON.stringify(answer)}`);
    texts.push(text);
  }
  return texts;
}

/** Sends a write while Redis is down: it must be refused as retryable, then stored once when resent. */
async function writeThroughOutage(phone: ClusterPhone, key: string, text: string, redisBack: Promise<unknown>): Promise<number> {
  const during = await phone.write({ type: 'chat', key, text }, 15_000);
  assert.ok(during && 'code' in during && during.code === 'unavailable', `a write during the outage is refused as retryable: ${JSON.stringify(during)}`);
  // Resent once the nodes are healthy again: each `unavailable` try also spends the chat budget of
  // the address (server/features/network-budget.ts), which a resend every 0.5 s through a restore would use up.
  await redisBack;
  const answer = await phone.writeUntilAnswered({ type: 'chat', key, text }, 60_000);
  assert.ok(answer && 'seq' in answer, `the resend is acknowledged: ${JSON.stringify(answer)}`);
  return answer.seq;
}

describe('Redis restarts', { skip: skip ?? false, timeout: 300_000 }, () => {
  for (const how of ['stop', 'kill'] as const) {
    it(`with AOF (${how === 'stop' ? 'SIGTERM' : 'kill -9'}): nothing acknowledged lost, same epoch, the outage's write stored once`, async () => {
      const cluster = await Cluster.start({ nodes: 2, redis: { aof: 'everysec' } });
      await withNodeLogs(cluster.nodes, async () => {
        const phone = await ClusterPhone.join(cluster.nodes[1]!.port, cluster.code, { participant: `t4.${how}` });
        const epoch = phone.epoch;
        const acked = await ackedLines(phone, `t4.${how}`, 5);
        await cluster.redis[how]();
        const downAt = Date.now();
        const back = sleep(2_000)
          .then(() => cluster.redis.launch())
          .then(() => Promise.all(cluster.nodes.map((node) => cluster.waitHealthy(node, 30_000))));
        await writeThroughOutage(phone, `t4.${how}.outage`, `t4 ${how} outage`, back);
        console.log(`# T4 ${how}: outage → the resent write acknowledged after ${Date.now() - downAt} ms (Redis down 2 s)`);
        for (const node of cluster.nodes) await cluster.waitHealthy(node, 30_000);
        const fresh = await ClusterPhone.join(cluster.port, cluster.code, { participant: `t4.${how}.late` });
        assert.equal(fresh.epoch, epoch, 'the epoch survives a Redis restart with AOF');
        for (const node of cluster.nodes) {
          const texts = await chatTexts(cluster, node);
          for (const text of [...acked, `t4 ${how} outage`]) assert.equal(texts.filter((t) => t === text).length, 1, `node ${node.index} holds "${text}" once`);
        }
        for (const c of [phone, fresh]) c.close();
      }).finally(() => cluster.close());
    });
  }

  it('without persistence: a new epoch, every acknowledged write restored, a phone in the lineage resumes', async () => {
    const cluster = await Cluster.start({ nodes: 2, redis: { aof: false } });
    await withNodeLogs(cluster.nodes, async () => {
      const phone = await ClusterPhone.join(cluster.nodes[1]!.port, cluster.code, { participant: 't5.a' });
      const epoch = phone.epoch;
      const acked = await ackedLines(phone, 't5', 4);
      await eventually('the phone saw its own lines', () => phone.lastSeq > 0, 10_000);
      const position = { epoch: phone.epoch, lastSeq: phone.lastSeq };
      await cluster.redis.kill();
      const downAt = Date.now();
      const back = sleep(2_000)
          .then(() => cluster.redis.launch())
          .then(() => Promise.all(cluster.nodes.map((node) => cluster.waitHealthy(node, 30_000))));
      const outageSeq = await writeThroughOutage(phone, 't5.outage', 't5 outage', back);
      console.log(`# T5: Redis restarted empty; the resent write acknowledged ${Date.now() - downAt} ms after the kill, at seq ${outageSeq}`);
      for (const node of cluster.nodes) await cluster.waitHealthy(node, 30_000);
      const fresh = await ClusterPhone.join(cluster.port, cluster.code, { participant: 't5.late' });
      assert.notEqual(fresh.epoch, epoch, 'a Redis that lost the talk gives it a new epoch');
      for (const node of cluster.nodes) {
        const texts = await chatTexts(cluster, node);
        for (const text of [...acked, 't5 outage']) assert.equal(texts.filter((t) => t === text).length, 1, `node ${node.index} holds "${text}" once after the restore`);
      }
      const returning = await ClusterPhone.join(cluster.port, cluster.code, { participant: 't5.a', resume: position });
      assert.equal(returning.joinedBy, 'resumed', 'a phone whose lastSeq lies in the restored lineage resumes');
      for (const c of [phone, fresh, returning]) c.close();
    }).finally(() => cluster.close());
  });
});
