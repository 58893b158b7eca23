/**
 * T2 of the cluster test plan: one write resent through every node (its acks lost on the way)
 * is stored once, and one participant's two phones on two nodes upvoting at the same moment
 * count once. Redis's append script holds the idempotency keys and vote sets, not any node.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, clusterMissing } from '../support/cluster.ts';
import { ClusterPhone, exportFrom, withNodeLogs } from '../support/cluster-phone.ts';

const skip = clusterMissing();

interface ExportedQuestion {
  id: string;
  text: string;
  votes: number;
}

async function questionsOn(cluster: Cluster): Promise<ExportedQuestion[][]> {
  return Promise.all(
    cluster.nodes.map(async (node) => (JSON.parse(await exportFrom(node.url, cluster.code, cluster.presenterKey, 'json')) as { questions: ExportedQuestion[] }).questions),
  );
}

describe('idempotency across nodes', { skip: skip ?? false, timeout: 180_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
  });
  after(async () => {
    await cluster?.close();
  });

  it('stores a write resent through node A, then B, then C once, and every ack carries its one seq', () =>
    withNodeLogs(cluster.nodes, async () => {
      const ask = { type: 'ask', key: 't2.once', text: 'Asked through three nodes?', slide: { indexh: 0, indexv: 0, indexf: -1 } } as const;
      const seqs: number[] = [];
      for (const node of cluster.nodes) {
        // A fresh connection per node, as a phone whose ack was lost reconnects elsewhere and resends from its outbox.
        const phone = await ClusterPhone.join(node.port, cluster.code, { participant: 't2.alice' });
        const answer = await phone.write(ask, 20_000);
        assert.ok(answer && 'seq' in answer, `node ${node.index} acknowledges the resend: ${JSON.stringify(answer)}`);
        seqs.push(answer.seq);
        phone.close();
      }
      assert.deepEqual(seqs, [seqs[0], seqs[0], seqs[0]], 'the same seq from every node');
      for (const [n, questions] of (await questionsOn(cluster)).entries()) {
        assert.equal(questions.filter((q) => q.text === ask.text).length, 1, `node ${n} stores the question once`);
      }
    }));

  it('counts once the upvotes of one participant’s two phones on two nodes at the same moment', () =>
    withNodeLogs(cluster.nodes, async () => {
      const asker = await ClusterPhone.join(cluster.nodes[0]!.port, cluster.code, { participant: 't2.carol' });
      const asked = await asker.write({ type: 'ask', key: 't2.carol.q', text: 'Upvoted twice at once?', slide: { indexh: 0, indexv: 0, indexf: -1 } }, 20_000);
      assert.ok(asked && 'seq' in asked);
      const id = (await questionsOn(cluster))[0]!.find((q) => q.text === 'Upvoted twice at once?')!.id;
      for (let round = 0; round < 5; round++) {
        const [b, c] = await Promise.all([
          ClusterPhone.join(cluster.nodes[1]!.port, cluster.code, { participant: `t2.bob${round}` }),
          ClusterPhone.join(cluster.nodes[2]!.port, cluster.code, { participant: `t2.bob${round}` }),
        ]);
        // Two phones, two outboxes: different keys for the same vote.
        const answers = await Promise.all([
          b!.write({ type: 'upvote', key: `t2.bob${round}.phone1`, question: id, on: true }, 20_000),
          c!.write({ type: 'upvote', key: `t2.bob${round}.phone2`, question: id, on: true }, 20_000),
        ]);
        for (const answer of answers) assert.ok(answer && 'seq' in answer, `both phones are acknowledged: ${JSON.stringify(answer)}`);
        b!.close();
        c!.close();
      }
      const all = await questionsOn(cluster);
      for (const [n, questions] of all.entries()) {
        assert.equal(questions.find((q) => q.id === id)?.votes, 5, `node ${n}: five participants, five votes, whatever the phones`);
      }
      asker.close();
    }));
});
