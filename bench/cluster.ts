/**
 * `npm run bench -- --cluster [--phones 19900] [--changes 50]`: the same phones (the thin clients of
 * bench/load-worker.ts) and the same isolated slide changes as the fan-out bench, on three set-ups:
 *
 *   sqlite     1 node, single-node mode (today's default; never loads ioredis)
 *   redis-1    1 node in cluster mode on a redis-server of the bench's own (free loopback port)
 *   redis-2    2 nodes on that Redis, the phones split half and half, each half connected to its
 *              node directly (a TCP balancer on 2 cores would be the bottleneck measured)
 *
 * The presenter is on node A (worker w0, which holds A's phones); w1 holds B's phones. Figures:
 * fan-out p50/p99 over all phones, server CPU per delivery summed over nodes, each node's
 * main-thread CPU per change (its send loop), Redis CPU, the cross-node overhead (first
 * delivery on B minus first on A), and with polls a 10 000-ballot burst split over both nodes.
 * Nothing here asserts a timing; docs/performance.md ("Cluster mode") records what was measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerEvent } from './load-worker.ts';
import { Worker } from './worker.ts';
import { freePort } from '../test/support/child-server.ts';
import { RedisProcess, redisMissing } from '../test/support/redis-server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** /proc times are in USER_HZ (100 on Linux). */
const TICK_US = 1e6 / 100;
const WARM_UP = 5;
/** Each set-up's phases are bounded: a stuck node ends the set-up, not the run. */
const CONNECT_TIMEOUT_MS = 240_000;
const START_TIMEOUT_MS = 60_000;

export type Setup = 'sqlite' | 'redis-1' | 'redis-2';

export interface ClusterBenchOptions {
  phones: number;
  changes: number;
  deckPath: string;
  /** The slide whose poll opens when shown (id `transport`, 3 options), or null without polls. */
  pollSlide: number | null;
  ballots: number;
  setups: Setup[];
}

interface Summary {
  p50: number;
  p99: number;
  max: number;
}

interface NodeFigures {
  /** Whole process (all threads) and main thread CPU over the measured changes, in ms. */
  cpuMs: number;
  mainCpuMs: number;
  /** Main-thread CPU per change: the node's send loop (commit, apply, serialise, write to its phones). */
  mainCpuMsPerChange: number;
  phones: number;
}

interface SetupResult {
  setup: Setup;
  phones: number;
  joined: number;
  failed: number;
  changes: number;
  fanoutMs: Summary;
  deliveryMs: Summary;
  missing: number;
  expected: number;
  /** Presenter moves answered `unavailable` (and resent after retryAfterMs), warm-up included. */
  movesUnavailable: number;
  /** Server CPU (all nodes' processes summed) per delivery, in µs. */
  cpuUsPerDelivery: number;
  nodes: NodeFigures[];
  redisCpuMs: number | null;
  /** Per change: first delivery on w1's node minus first on w0's (node B − node A when split). */
  crossNodeMs: Summary;
  vote?: VoteFigures;
  loadAvg: [number, number];
}

interface VoteFigures {
  sent: number;
  counted: number;
  allCountedMs: number;
  resultsPerSecond: number[];
  redisCpuMs: number | null;
  nodesCpuMs: number[];
}

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');

function summary(values: number[]): Summary {
  if (values.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(values).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}

function ticks(file: string): number {
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

/** Whole-process and main-thread CPU ticks (Node's main thread is the one whose id is the pid). */
function cpu(pid: number): { all: number; main: number } {
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      all += ticks(`/proc/${pid}/task/${tid}/stat`);
    } catch (error) {
      // A thread that ended between the listing and the read has nothing more to count.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  return { all, main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

/* ---------------- processes ---------------- */

interface NodeProc {
  child: ChildProcess;
  pid: number;
  /** ws://127.0.0.1:<port>/ws */
  ws: string;
  dataDir: string;
}

/** Starts `livedeck` (node A: registers the deck; a later node: `serve`) and waits for its ready line. */
async function startNode(args: string[], ready: RegExp, label: string): Promise<{ node: NodeProc; match: RegExpExecArray }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `livedeck-bench-${label}-`));
  // LIVEDECK_BENCH_NODE_ARGS as in bench/run.ts, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' (written when the node exits).
  const extra = (process.env.LIVEDECK_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...extra, '--import', 'tsx', 'server/main.ts', ...args, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${label} stderr] ${d}`));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not become ready in ${START_TIMEOUT_MS} ms: ${out}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}): ${out}`));
    });
  });
  // Keep draining stdout so a node never blocks on a full pipe.
  child.stdout!.resume();
  return { node: { child, pid: child.pid!, ws: `ws://127.0.0.1:${port}/ws`, dataDir }, match };
}

async function stopNode(node: NodeProc): Promise<void> {
  const exited = new Promise<void>((r) => node.child.once('exit', () => r()));
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  await Promise.race([exited, sleep(6000)]);
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
  if (process.env.LIVEDECK_BENCH_KEEP_DATA) log(`kept ${node.dataDir}`);
  else rmSync(node.dataDir, { recursive: true, force: true });
}

const PRESENTER = /Presenter: https?:\/\/[^/]+\/presenter\/([A-Z0-9]+)#key=([A-Za-z0-9_-]+)/;

/** Loopback source addresses per set-up (see addressBlock in bench/run.ts): away from the last minute's TIME_WAIT. */
function addressBlock(): number {
  return 1 + 2 * (Math.floor(Date.now() / 2000) % 124);
}

/* ---------------- one set-up ---------------- */

async function runSetup(setup: Setup, o: ClusterBenchOptions): Promise<SetupResult> {
  const load0 = loadavg()[0]!;
  const redis = setup === 'sqlite' ? null : await RedisProcess.start();
  const nodes: NodeProc[] = [];
  const workers = [new Worker('w0', log, 30_000), new Worker('w1', log, 30_000)];
  try {
    const redisArgs = redis ? ['--redis', redis.url] : [];
    const first = await startNode([o.deckPath, ...redisArgs], PRESENTER, `${setup}-A`);
    nodes.push(first.node);
    const talk = first.match[1]!;
    const key = first.match[2]!;
    if (setup === 'redis-2') {
      const b = await startNode(['serve', ...redisArgs], /Node ready: talk ([A-Z0-9]+)/, `${setup}-B`);
      nodes.push(b.node);
      if (b.match[1] !== talk) throw new Error(`node B serves talk ${b.match[1]}, not ${talk}`);
    }
    const nodeOf = (w: number) => nodes[Math.min(w, nodes.length - 1)]!;
    const half = Math.floor(o.phones / 2);
    log(`${setup}: ${o.phones} phones connecting (${nodes.length === 2 ? `${half} to node A with the presenter, ${o.phones - half} to node B` : 'all to one node'})`);
    const block = addressBlock();
    const connected = await Promise.all(
      workers.map((w, i) =>
        w.request(
          { cmd: 'connect', worker: i, url: nodeOf(i).ws, talk, audience: i === 0 ? half : o.phones - half, presenterKey: i === 0 ? key : null, concurrency: 250, addressBlock: block },
          'connected',
          CONNECT_TIMEOUT_MS,
        ),
      ),
    );
    const joined = connected.reduce((s, c) => s + c.joined, 0);
    const failed = connected.reduce((s, c) => s + c.failed, 0);
    log(`${setup}: ${joined} joined, ${failed} failed`);
    await sleep(1500);

    // Isolated changes: each waited for, then spaced max(100 ms, N/20 ms) from its send (design §4).
    const spacingMs = Math.max(100, o.phones / 20);
    const fanouts: number[] = [];
    const latencies: number[] = [];
    const cross: number[] = [];
    let missing = 0;
    let expected = 0;
    let movesUnavailable = 0;
    let cpu0 = nodes.map((n) => cpu(n.pid));
    let redis0 = redis?.child?.pid ? cpu(redis.child.pid).all : 0;
    for (let c = 1; c <= WARM_UP + o.changes; c++) {
      if (c === WARM_UP + 1) {
        cpu0 = nodes.map((n) => cpu(n.pid));
        redis0 = redis?.child?.pid ? cpu(redis.child.pid).all : 0;
      }
      const sent = await workers[0]!.request({ cmd: 'send', change: c }, 'sent');
      const replies = await Promise.all(workers.map((w) => w.request({ cmd: 'collect', change: c, timeoutMs: 5000 }, 'collected', 15_000)));
      const started = performance.now();
      movesUnavailable = replies[0]!.unavailable;
      if (c <= WARM_UP) {
        await sleep(spacingMs);
        continue;
      }
      let last = 0;
      const firsts: number[] = [];
      for (const r of replies) {
        missing += r.expected - r.received;
        expected += r.expected;
        let firstHere = Infinity;
        for (const t of r.times) {
          if (t === 0) continue;
          latencies.push((t - sent.atUs) / 1000);
          if (t > last) last = t;
          if (t < firstHere) firstHere = t;
        }
        firsts.push(firstHere);
      }
      fanouts.push((last - sent.atUs) / 1000);
      if (Number.isFinite(firsts[0]!) && Number.isFinite(firsts[1]!)) cross.push((firsts[1]! - firsts[0]!) / 1000);
      await sleep(Math.max(0, spacingMs - (performance.now() - started)));
    }
    const nodeFigures: NodeFigures[] = nodes.map((n, i) => {
      const now = cpu(n.pid);
      const cpuMs = ((now.all - cpu0[i]!.all) * TICK_US) / 1000;
      const mainCpuMs = ((now.main - cpu0[i]!.main) * TICK_US) / 1000;
      const phones = nodes.length === 1 ? joined : connected[i]!.joined;
      return { cpuMs, mainCpuMs, mainCpuMsPerChange: mainCpuMs / o.changes, phones };
    });
    const redisCpuMs = redis?.child?.pid ? ((cpu(redis.child.pid).all - redis0) * TICK_US) / 1000 : null;
    const delivered = expected - missing;
    const result: SetupResult = {
      setup,
      phones: o.phones,
      joined,
      failed,
      changes: o.changes,
      fanoutMs: summary(fanouts),
      deliveryMs: summary(latencies),
      missing,
      expected,
      movesUnavailable,
      cpuUsPerDelivery: (nodeFigures.reduce((s, n) => s + n.cpuMs, 0) * 1000) / Math.max(1, delivered),
      nodes: nodeFigures,
      redisCpuMs,
      crossNodeMs: summary(cross),
      loadAvg: [load0, loadavg()[0]!],
    };
    log(
      `${setup}: fan-out p50/p99 ${f(result.fanoutMs.p50)}/${f(result.fanoutMs.p99)} ms, missing ${missing}/${expected}, ${movesUnavailable} moves answered unavailable and resent, ${f(result.cpuUsPerDelivery, 2)} µs CPU/delivery over nodes, ` +
        `send loop ${nodeFigures.map((n) => `${f(n.mainCpuMsPerChange)} ms`).join(' + ')} per change, cross-node p50/p99 ${f(result.crossNodeMs.p50, 2)}/${f(result.crossNodeMs.p99, 2)} ms`,
    );
    if (setup === 'redis-2' && o.pollSlide !== null && o.ballots > 0) result.vote = await voteBurst(workers, nodes, redis!, o);
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
    await Promise.all(nodes.map(stopNode));
    await redis?.dispose();
  }
}

/** `ballots` phones, half on each node, vote once each within 1 s; the presenter (node A) must see every one counted. */
async function voteBurst(workers: Worker[], nodes: NodeProc[], redis: RedisProcess, o: ClusterBenchOptions): Promise<VoteFigures> {
  const slide = o.pollSlide!;
  const shown = await workers[0]!.request({ cmd: 'send', change: slide }, 'sent');
  await Promise.all(workers.map((w) => w.request({ cmd: 'collect', change: slide, timeoutMs: 5000 }, 'collected', 15_000)));
  log(`vote burst: shown the poll's slide (${((Number(process.hrtime.bigint() / 1000n) - shown.atUs) / 1000).toFixed(0)} ms ago); ${o.ballots} ballots within 1 s over both nodes`);
  await sleep(500);
  const cpu0 = nodes.map((n) => cpu(n.pid).all);
  const redis0 = cpu(redis.child!.pid!).all;
  const per = Math.floor(o.ballots / workers.length);
  const replies = await Promise.all(
    workers.map((w, i) => w.request({ cmd: 'vote', spreadMs: 1000, settleMs: 15_000, poll: 'transport', options: 3, voters: i === 0 ? per : o.ballots - per }, 'voted', 60_000)),
  );
  const sent = replies.reduce((s, r) => s + r.sent, 0);
  const startUs = Math.min(...replies.map((r) => r.startUs));
  const results = replies.flatMap((r) => r.results).filter((r) => r.atUs >= startUs);
  const counted = results.reduce((m, r) => Math.max(m, r.ballots), 0);
  const perSecond: number[] = [];
  for (const r of results) {
    const s = Math.floor((r.atUs - startUs) / 1e6);
    perSecond[s] = (perSecond[s] ?? 0) + 1;
  }
  const full = results.find((r) => r.ballots >= sent);
  const figures: VoteFigures = {
    sent,
    counted,
    allCountedMs: full ? (full.atUs - startUs) / 1000 : NaN,
    resultsPerSecond: Array.from(perSecond, (v) => v ?? 0),
    redisCpuMs: ((cpu(redis.child!.pid!).all - redis0) * TICK_US) / 1000,
    nodesCpuMs: nodes.map((n, i) => ((cpu(n.pid).all - cpu0[i]!) * TICK_US) / 1000),
  };
  log(`vote burst: sent ${sent}, counted ${counted} (presenter on node A), all counted after ${f(figures.allCountedMs, 0)} ms, results/s [${figures.resultsPerSecond.join(', ')}]`);
  return figures;
}

/* ---------------- report ---------------- */

function report(results: SetupResult[]): string {
  const sqlite = results.find((r) => r.setup === 'sqlite');
  const one = results.find((r) => r.setup === 'redis-1');
  const rows = [['set-up', 'phones', 'fan-out p50/p99 ms', 'deliv p50/p99 ms', 'missing', 'moves unavailable', 'CPU µs/deliv (Σ nodes)', '× sqlite', 'send loop ms/change per node', 'Redis CPU ms (all changes)', 'first B − first A p50/p99 ms', 'load']];
  for (const r of results) {
    rows.push([
      r.setup,
      r.nodes.map((n) => n.phones).join('+'),
      `${f(r.fanoutMs.p50)}/${f(r.fanoutMs.p99)}`,
      `${f(r.deliveryMs.p50)}/${f(r.deliveryMs.p99)}`,
      `${r.missing}/${r.expected}`,
      String(r.movesUnavailable),
      f(r.cpuUsPerDelivery, 2),
      sqlite && r !== sqlite ? `${f(r.cpuUsPerDelivery / sqlite.cpuUsPerDelivery, 2)}×` : '',
      r.nodes.map((n) => f(n.mainCpuMsPerChange)).join(' / '),
      r.redisCpuMs === null ? '-' : f(r.redisCpuMs, 0),
      r.setup === 'redis-2' ? `${f(r.crossNodeMs.p50, 2)}/${f(r.crossNodeMs.p99, 2)}` : `(same node: ${f(r.crossNodeMs.p50, 2)}/${f(r.crossNodeMs.p99, 2)})`,
      `${f(r.loadAvg[0], 1)}→${f(r.loadAvg[1], 1)}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = [rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n'), ''];
  const two = results.find((r) => r.setup === 'redis-2');
  const base = one ?? sqlite;
  if (two && base) {
    const single = base.nodes[0]!.mainCpuMsPerChange;
    lines.push(
      `send loop per node at 2 nodes vs 1 (${base.setup}): ${two.nodes.map((n) => `${f(n.mainCpuMsPerChange / single, 2)}×`).join(', ')} (target ≈ 0.5×); ` +
        `summed CPU per delivery ${f(two.cpuUsPerDelivery / base.cpuUsPerDelivery, 2)}× of ${base.setup}${sqlite && base !== sqlite ? `, ${f(two.cpuUsPerDelivery / sqlite.cpuUsPerDelivery, 2)}× of sqlite` : ''} (target ≤ 1.1×)`,
    );
  }
  if (one && sqlite) lines.push(`redis-1 fan-out p50 ${f(one.fanoutMs.p50 / sqlite.fanoutMs.p50, 2)}× of sqlite (target ≤ 1.05×)`);
  if (two?.vote) {
    const v = two.vote;
    lines.push(
      `vote burst over 2 nodes: ${v.sent} ballots in 1 s, ${v.counted} counted (${v.counted === v.sent ? 'exact' : 'NOT exact'}), all counted after ${f(v.allCountedMs, 0)} ms; ` +
        `results messages/s at the presenter [${v.resultsPerSecond.join(', ')}]; CPU during the burst: Redis ${f(v.redisCpuMs ?? NaN, 0)} ms, nodes ${v.nodesCpuMs.map((c) => f(c, 0)).join(' + ')} ms`,
    );
  }
  lines.push(
    `On ${availableParallelism()} cores the two nodes, Redis and both load workers share the CPUs, so the wall-clock fan-out cannot halve fairly; ` +
      'the per-node send-loop CPU and the summed CPU per delivery are the scale-out figures.',
  );
  return lines.join('\n');
}

export async function clusterMain(o: ClusterBenchOptions): Promise<void> {
  const missing = redisMissing();
  const setups = missing ? o.setups.filter((s) => s === 'sqlite') : o.setups;
  if (missing) log(`no Redis set-ups: ${missing}`);
  log(`cluster bench: ${o.phones} phones, ${WARM_UP} warm-up + ${o.changes} measured changes, set-ups ${setups.join(', ')}`);
  const results: SetupResult[] = [];
  for (const setup of setups) {
    results.push(await runSetup(setup, o));
    await sleep(1000);
  }
  process.stdout.write(`${report(results)}\n`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: availableParallelism(), options: o, results }, null, 2));
  log(`wrote ${file}`);
}
