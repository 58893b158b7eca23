/**
 * T3 of the cluster test plan: kill -9 of one relay at a random moment of a write burst. The
 * dead node's phones come back through the balancer to a survivor and resume there (no fresh
 * welcome); their outboxes resend what was not acknowledged; Redis stores every write once.
 * LIVEDECK_SOAK=1 runs 20 rounds; otherwise 3.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../server/store/sqlite.ts';
import { Cluster, clusterMissing, type ClusterNode } from '../support/cluster.ts';
import { ClusterPhone, eventually, withNodeLogs, type KeyedWrite } from '../support/cluster-phone.ts';

const skip = clusterMissing();
const SOAK = process.env.LIVEDECK_SOAK === '1';
const ROUNDS = SOAK ? 20 : 3;
const PHONES = 45;

/** A round's stored writes in one node's SQLite mirror: key → seqs (more than one is a duplicate). */
function storedKeys(node: ClusterNode, round: number): Map<string, number[]> {
  const db = new Database(join(node.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT seq, key FROM events WHERE key LIKE ? ORDER BY seq').all(`t3.r${round}.%`) as Array<{ seq: number; key: string }>;
    const keys = new Map<string, number[]>();
    for (const row of rows) keys.set(row.key, [...(keys.get(row.key) ?? []), row.seq]);
    return keys;
  } finally {
    db.close();
  }
}

describe('a node dies', { skip: skip ?? false, timeout: ROUNDS * 90_000 + 60_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
  });
  after(async () => {
    await cluster?.close();
  });

  it(`kill -9 during a write burst, ${ROUNDS} rounds: acknowledged ⊆ stored ⊆ sent, no duplicate, the dead node's phones resume on survivors`, () =>
    withNodeLogs(cluster.nodes, async () => {
      const reconnectMs: number[] = [];
      let unavailable = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const phones: ClusterPhone[] = [];
        for (let i = 0; i < PHONES; i += 15) {
          phones.push(...(await Promise.all(Array.from({ length: Math.min(15, PHONES - i) }, (_, j) => ClusterPhone.join(cluster.port, cluster.code, { participant: `t3.r${round}.p${i + j}`, timeoutMs: 60_000 })))));
        }
        const sent = new Map<string, { phone: number; message: KeyedWrite }>();
        const acked = new Map<string, number>();
        let killed = false;
        const writers = phones.map(async (phone, i) => {
          // At most 4 lines each: every phone shares 127.0.0.1, whose chat budget (server/features/network-budget.ts) spans rounds.
          for (let n = 0; !killed && n < 4; n++) {
            const key = `t3.r${round}.p${i}.n${n}`;
            const message: KeyedWrite = { type: 'chat', key, text: `Line ${n} from phone ${i}` };
            sent.set(key, { phone: i, message });
            const answer = await phone.write(message, 15_000);
            if (answer === null) return;
            if ('seq' in answer) acked.set(key, answer.seq);
            else if (answer.code === 'unavailable') unavailable++;
            else assert.fail(`${key} refused: ${answer.refused}`);
            await sleep(150 + Math.random() * 250);
          }
        });
        await sleep(200 + Math.random() * 1200);
        const victim = cluster.nodes[1 + Math.floor(Math.random() * (cluster.nodes.length - 1))]!;
        const killedAt = Date.now();
        await victim.kill9();
        killed = true;
        await Promise.all(writers);

        // The dead node's phones: closed without a goodbye; each reconnects through the balancer at once, resuming.
        const orphans = phones.map((phone, i) => ({ phone, i })).filter(({ phone }) => !phone.open);
        assert.ok(orphans.length > 0, `round ${round + 1}: the dead node had phones`);
        const back = await Promise.all(
          orphans.map(async ({ phone, i }) => {
            await phone.closed;
            const again = await ClusterPhone.join(cluster.port, cluster.code, { participant: phone.options.participant!, resume: { epoch: phone.epoch, lastSeq: phone.lastSeq }, timeoutMs: 30_000 });
            reconnectMs.push(Date.now() - killedAt);
            assert.equal(again.joinedBy, 'resumed', `${phone.options.participant} resumes on a survivor (not a full welcome): it had seq ${phone.lastSeq} of epoch ${phone.epoch} (joined at ${phone.welcomeSeq}), welcomed at seq ${again.welcomeSeq} of ${again.epoch}`);
            phones[i] = again;
            return again;
          }),
        );
        assert.equal(back.length, orphans.length);

        // Outboxes: everything not acknowledged is sent again, and each phone's last acknowledged write too (its ack might have been lost).
        const lastAcked = new Map<number, string>();
        for (const [key, { phone }] of sent) if (acked.has(key)) lastAcked.set(phone, key);
        const resend = [...sent].filter(([key]) => !acked.has(key) || [...lastAcked.values()].includes(key));
        await Promise.all(
          resend.map(async ([key, { phone, message }]) => {
            const answer = await phones[phone]!.writeUntilAnswered(message, 30_000);
            assert.ok(answer && 'seq' in answer, `resent ${key} is acknowledged: ${JSON.stringify(answer)}`);
            if (acked.has(key)) assert.equal(answer.seq, acked.get(key), `${key}: the resend's ack carries the first seq`);
            acked.set(key, answer.seq);
          }),
        );
        unavailable += phones.reduce((n, p) => n + p.unavailable, 0);

        // Every survivor's mirror: each sent key once, at the seq its ack named.
        for (const node of cluster.nodes.filter((n) => n !== victim)) {
          await eventually(`node ${node.index} mirrors round ${round + 1}`, () => storedKeys(node, round).size === sent.size, 20_000);
          const stored = storedKeys(node, round);
          for (const [key, seqs] of stored) {
            assert.equal(seqs.length, 1, `${key} is stored once on node ${node.index}`);
            assert.ok(sent.has(key), `stored ${key} was sent`);
            assert.equal(seqs[0], acked.get(key), `${key} is stored at the seq of its ack`);
          }
        }
        for (const phone of phones) phone.close();
        await victim.restart();
        await cluster.waitHealthy(victim, 60_000);
      }
      reconnectMs.sort((a, b) => a - b);
      const pct = (p: number) => reconnectMs[Math.min(reconnectMs.length - 1, Math.floor((p / 100) * reconnectMs.length))];
      console.log(`# T3: ${ROUNDS} rounds, ${reconnectMs.length} phones resumed after kill -9; kill → resumed ms p50 ${pct(50)} p90 ${pct(90)} max ${reconnectMs.at(-1)}; ${unavailable} unavailable answers`);
      assert.ok(reconnectMs.at(-1)! < 20_000, 'every orphan is back within seconds');
    }));
});
