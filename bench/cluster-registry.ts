/**
 * `node --import tsx bench/cluster-registry.ts`: printed figures for the cluster's side services
 * against a redis-server of its own on loopback (never :6379):
 *   deck bundle   store and fetch a deck just under the 20 MiB cap, on connections with the 1 s command timeout
 *   presence      heartbeat round trip with three nodes
 *   signals       publish → another node's listener: a bounded burst (rate, queueing latency) and one at a time
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisProcess, redisMissing } from '../test/support/redis-server.ts';
import { commandConnection } from '../server/cluster/redis.ts';
import { DEFAULT_BUNDLE_CAP_BYTES, fetchBundle, storeBundle } from '../server/cluster/deck-bundle.ts';
import { ClusterPresence, emptyCounts } from '../server/cluster/presence.ts';
import { RedisSignals } from '../server/cluster/signals.ts';

const missing = redisMissing();
if (missing) {
  console.log(`skipped: ${missing}`);
  process.exit(0);
}

const ms = (t: number) => `${t.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

const server = await RedisProcess.start();
const dir = mkdtempSync(join(tmpdir(), 'livedeck-bench-registry-'));
try {
  const a = await commandConnection(server.url, 'bench-a');
  const b = await commandConnection(server.url, 'bench-b');

  const deck = join(dir, 'deck');
  mkdirSync(join(deck, 'media'), { recursive: true });
  writeFileSync(join(deck, 'talk.md'), '# Bench\n');
  const files = 19;
  for (let i = 0; i < files; i++) writeFileSync(join(deck, 'media', `clip-${i}.png`), randomBytes(1024 * 1024));
  let t = performance.now();
  const stored = await storeBundle(a, 'BENCH2', deck);
  const storeMs = performance.now() - t;
  t = performance.now();
  await fetchBundle(b, 'BENCH2', join(dir, 'cache'));
  const fetchMs = performance.now() - t;
  t = performance.now();
  await fetchBundle(b, 'BENCH2', join(dir, 'cache'));
  const refetchMs = performance.now() - t;
  console.log(`deck bundle   ${(stored.bytes / 1024 / 1024).toFixed(1)} MiB in ${files + 1} files (cap ${DEFAULT_BUNDLE_CAP_BYTES / 1024 / 1024} MiB): store ${ms(storeMs)}, fetch ${ms(fetchMs)}, fetch again (cached, hashes checked) ${ms(refetchMs)}`);

  const nodes = ['n1', 'n2', 'n3'].map((node, i) => new ClusterPresence({ redis: i === 0 ? a : b, code: 'BENCH2', node, local: () => ({ ...emptyCounts(), audience: 100 }), heartbeatMs: 60_000 }));
  for (const p of nodes) await p.start();
  const beats: number[] = [];
  for (let i = 0; i < 200; i++) {
    t = performance.now();
    await nodes[0]!.beat();
    beats.push(performance.now() - t);
  }
  beats.sort((x, y) => x - y);
  console.log(`presence      heartbeat with 3 nodes: p50 ${ms(percentile(beats, 0.5))}, p99 ${ms(percentile(beats, 0.99))} (200 beats); totals ${nodes[0]!.totals().audience}`);
  for (const p of nodes) await p.stop();

  const sender = await RedisSignals.connect(server.url, 'BENCH2', 'sender', a);
  const receiver = await RedisSignals.connect(server.url, 'BENCH2', 'receiver', b);
  const latencies: number[] = [];
  const burst = 5_000;
  let received = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  receiver.subscribe('reaction', (data) => {
    latencies.push(performance.now() - (data as { t: number }).t);
    if (++received === burst) done();
  });
  t = performance.now();
  for (let i = 0; i < burst; i++) sender.publish('reaction', { t: performance.now(), emoji: '🎉' });
  await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
  const took = performance.now() - t;
  latencies.sort((x, y) => x - y);
  console.log(
    `signals       ${received}/${burst} delivered to another node in ${ms(took)} (${Math.round((received / took) * 1000)}/s); latency p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}; dropped ${sender.dropped}`,
  );
  const single: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const arrived = new Promise<void>((resolve) => receiver.subscribe(`one-${i}`, () => resolve()));
    sender.publish(`one-${i}`, i);
    await arrived;
    single.push(performance.now() - start);
  }
  single.sort((x, y) => x - y);
  console.log(`signals       one at a time (200): p50 ${ms(percentile(single, 0.5))}, p99 ${ms(percentile(single, 0.99))}`);
  await sender.close();
  await receiver.close();
  a.disconnect();
  b.disconnect();
} finally {
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
}
