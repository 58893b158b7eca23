/**
 * T1 of the cluster test plan (/work/shared/design/cluster.md §3): three relay nodes behind a
 * round-robin balancer, the presenter stepping on one node while phones on every node ask and
 * upvote. Redis numbers every write once; every node must apply them in that order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerMessage } from '../../protocol/messages.ts';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPORT_EVENTS } from '../../protocol/report.ts';
import { DATABASE_FILE } from '../../server/store/sqlite.ts';
import { Cluster, clusterMissing, type ClusterNode } from '../support/cluster.ts';
import { ClusterPhone, SMALL_DECK_STEPS, eventually, exportFrom, missedSeqs, withNodeLogs } from '../support/cluster-phone.ts';

const skip = clusterMissing();
const SOAK = process.env.LIVEDECK_SOAK === '1';
const PHONES = SOAK ? 300 : 150;
const ASKERS = 30;
const UPVOTES_EACH = 3;
const MOVES = SOAK ? 500 : 80;

const REPORT_KINDS = new Set<string>(Object.values(REPORT_EVENTS));

/** (seq, kind) of every event in a node's SQLite mirror. */
function mirroredKinds(node: ClusterNode): Array<{ seq: number; kind: string }> {
  const db = new Database(join(node.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind FROM events ORDER BY seq').all() as Array<{ seq: number; kind: string }>;
  } finally {
    db.close();
  }
}

describe('order across nodes', { skip: skip ?? false, timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
  });
  after(async () => {
    await cluster?.close();
  });

  it(`${PHONES} phones on 3 nodes see every change in one order with no gap, and every node exports the same talk`, () =>
    withNodeLogs(cluster.nodes, async () => {
    const presenter = await ClusterPhone.join(cluster.nodes[0]!.port, cluster.code, { role: 'presenter', key: cluster.presenterKey, gapless: false });
    const phones: ClusterPhone[] = [];
    // In batches: hundreds of handshakes at once on a shared 2-core box time out for no reason of ours.
    for (let i = 0; i < PHONES; i += 25) {
      phones.push(...(await Promise.all(Array.from({ length: Math.min(25, PHONES - i) }, (_, j) => ClusterPhone.join(cluster.port, cluster.code, { participant: `t1.p${i + j}`, gapless: false, timeoutMs: 60_000 })))));
    }
    for (const node of cluster.nodes) assert.ok(cluster.balancer.countFor(node.port) >= PHONES / 3 - 1, `node ${node.index} holds its share of the phones`);

    const questions: Array<{ id: string; asker: number }> = [];
    presenter.waitFor((m: ServerMessage) => {
      if (m.type === 'question' && !questions.some((q) => q.id === m.question.id)) questions.push({ id: m.question.id, asker: Number(/Question (\d+) /.exec(m.question.text)?.[1]) });
      return false;
    }, 600_000).catch(() => undefined);

    const acks = new Map<string, number>();
    const refused: string[] = [];
    const record = (key: string, answer: Awaited<ReturnType<ClusterPhone['write']>>) => {
      if (answer && 'seq' in answer) acks.set(key, answer.seq);
      else refused.push(`${key}: ${JSON.stringify(answer)}`);
    };

    const stepping = (async () => {
      for (let n = 0; n < MOVES; n++) {
        presenter.send({ type: 'goto', state: SMALL_DECK_STEPS[n % SMALL_DECK_STEPS.length]! });
        await sleep(50);
      }
    })();
    const asking = Promise.all(
      phones.slice(0, ASKERS).map(async (phone, i) => {
        await sleep(Math.random() * 500);
        const key = `t1.ask.${i}`;
        record(key, await phone.writeUntilAnswered({ type: 'ask', key, text: `Question ${i} across nodes?`, slide: { indexh: 0, indexv: 0, indexf: -1 } }, 30_000));
      }),
    );
    await eventually('the first questions are out', () => questions.length >= 10, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}; refused ${JSON.stringify(refused.slice(0, 5))}; presenter saw ${JSON.stringify(presenter.changes.slice(-10))}`);
    });
    const voting = Promise.all(
      phones.map(async (phone, i) => {
        // Distinct questions per phone, so every upvote changes a count and reaches everyone.
        // Never one's own question (the server refuses that).
        const others = questions.filter((q) => q.asker !== i);
        const start = i % others.length;
        for (let v = 0; v < UPVOTES_EACH; v++) {
          const question = others[(start + v * 3) % others.length]!.id;
          const key = `t1.up.${i}.${v}`;
          record(key, await phone.writeUntilAnswered({ type: 'upvote', key, question, on: true }, 30_000));
          await sleep(Math.random() * 100);
        }
      }),
    );
    await Promise.all([stepping, asking, voting]);
    assert.deepEqual(refused, [], 'every write is acknowledged');

    // Acks: one distinct seq per write, whichever node took it.
    assert.equal(new Set(acks.values()).size, acks.size, 'no two writes share a seq');

    // The last move: the presenter's own echo names the talk's final seq (nothing is written after it).
    presenter.send({ type: 'goto', state: SMALL_DECK_STEPS[0]! });
    const last = await presenter.waitFor((m) => m.type === 'deck' && m.seq > Math.max(...acks.values()), 30_000);
    const finalSeq = (last as { seq: number }).seq;
    await Promise.all(phones.map((phone) => phone.reach(finalSeq, 60_000)));

    // Seqs no phone hears of: the report's own records, written by the server (server/features/report).
    const silent = new Set(mirroredKinds(cluster.nodes[0]!).filter((e) => REPORT_KINDS.has(e.kind)).map((e) => e.seq));
    const orderBySeq = new Map<number, string>();
    for (const phone of [presenter, ...phones]) {
      const who = phone.options.participant ?? 'presenter';
      assert.deepEqual(phone.violations, [], `${who}: strictly rising seqs`);
      assert.deepEqual(missedSeqs(phone, finalSeq, silent), [], `${who}: no change missed`);
      for (const { seq, type } of phone.changes) {
        const seen = orderBySeq.get(seq);
        if (seen === undefined) orderBySeq.set(seq, type);
        else assert.equal(type, seen, `seq ${seq} is the same change on every node`);
      }
    }
    const stepsSeen = [...orderBySeq.values()].filter((t) => t === 'deck').length;
    console.log(`# T1: ${PHONES} phones over 3 nodes (${cluster.nodes.map((n) => cluster.balancer.countFor(n.port)).join('/')} connections), ${acks.size} writes acked (${phones.reduce((n, p) => n + p.unavailable, 0)} unavailable answers resent), ${stepsSeen} moves, final seq ${finalSeq}`);

    // Every node's state: the exports agree byte for byte (the JSON minus its own timestamp).
    await eventually(
      'every node has applied the final seq',
      async () => {
        const csvs = await Promise.all(cluster.nodes.map((node) => exportFrom(node.url, cluster.code, cluster.presenterKey, 'csv')));
        return csvs.every((csv) => csv === csvs[0]);
      },
      20_000,
      250,
    );
    const csvs = await Promise.all(cluster.nodes.map((node) => exportFrom(node.url, cluster.code, cluster.presenterKey, 'csv')));
    for (const csv of csvs.slice(1)) assert.equal(csv, csvs[0], 'the CSV export is byte-equal on every node');
    const jsons = await Promise.all(cluster.nodes.map(async (node) => JSON.parse(await exportFrom(node.url, cluster.code, cluster.presenterKey, 'json')) as Record<string, unknown>));
    // Each node stamps its own export time (and the report's); everything else is the talk.
    for (const json of jsons) {
      delete json.exportedAt;
      if (json.report && typeof json.report === 'object') delete (json.report as Record<string, unknown>).generatedAt;
    }
    for (const json of jsons.slice(1)) assert.deepEqual(json, jsons[0], 'the JSON export is equal on every node');
    const exported = (jsons[0]!.questions as Array<{ votes: number }>) ?? [];
    assert.equal(exported.length, ASKERS, 'every question once');
    assert.equal(
      exported.reduce((sum, q) => sum + q.votes, 0),
      PHONES * UPVOTES_EACH,
      'every upvote counted once',
    );
    for (const phone of [presenter, ...phones]) phone.close();
    }));
});
