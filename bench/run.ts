/**
 * `npm run bench`: fan-out, CPU, memory and join-rate figures for livedeck, each beside the
 * same figure for a minimal `ws` relay (bench/baseline-relay.ts) measured minutes apart in
 * the same run. Every server is its own process; the clients live in two other processes.
 *
 *   npm run bench -- --sizes 1000,5000 --changes 30
 *   npm run bench -- --quick          (1000 only, 10 changes, no sustained case)
 *   npm run bench -- --full           (adds 19 900)
 *   npm run bench -- --join-only --sizes 10000 --only livedeck   (the join storm alone)
 *   LIVEDECK_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- ...
 *                                     (extra node flags for the measured server processes)
 *
 * Prints a table, writes bench/results/<time>.json, reports progress on stderr. Nothing here
 * asserts timings; docs/performance.md records what was measured and the targets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { WorkerCommand, WorkerEvent } from './load-worker.ts';
import { Worker } from './worker.ts';
import { PING_EVERY_MS } from '../client/connection.ts';
import { clusterMain, type Setup } from './cluster.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TICK_US = 1e6 / 100;
const cpus = availableParallelism(); // /proc times are in USER_HZ (100 on Linux).

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    changes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    sustained: { type: 'string' },
    'no-sustained': { type: 'boolean', default: false },
    only: { type: 'string' },
    deck: { type: 'string' },
    'join-only': { type: 'boolean', default: false },
    'no-disturbed': { type: 'boolean', default: false },
    settle: { type: 'string' },
    pointer: { type: 'string' },
    'pointer-rate': { type: 'string' },
    cluster: { type: 'boolean', default: false },
    phones: { type: 'string' },
    setups: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [options]

  --sizes <n,n,...>   audience sizes (default 1000,5000,10000)
  --quick             1000 only, 10 changes, no sustained case
  --full              adds 19900
  --changes <n>       fan-out changes per tier (default 40)
  --sustained <n>     size that also runs the sustained case, the upvote flurry, the vote
                      burst and the reconnect storm (default 10000)
  --no-sustained      skip those
  --only <targets>    baseline, livedeck, disturbed (comma-separated; default: all three,
                      disturbed only at the sustained size)
  --no-disturbed      skip the disturbed tier (livedeck with 1 % frozen phones, a 1 s server
                      heartbeat and every other phone sending the browser's 2 s liveness ping)
  --settle <ms>       idle time after the join storm before RSS is read (default 1000)
  --join-only         only the join storm: connect N clients, report joins/s and CPU per join
  --deck <file>       serve this deck instead of the generated one
  --pointer <s>       only the laser pointer: the console moves it for <s> seconds at
                      --pointer-rate per second (default 20, what the console sends; try 60
                      for a raw mouse); reports pointer messages/s per phone and server CPU
  --cluster           cluster mode (bench/cluster.ts): --phones (default 19900) on 1 node with
                      SQLite, 1 node on Redis, and 2 nodes on Redis (half the phones each);
                      --changes measured changes (default 50); --setups sqlite,redis-1,redis-2

Environment: LIVEDECK_BENCH_NODE_ARGS adds node flags to each measured server process,
e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' (the profile is written when the server exits).
LIVEDECK_BENCH_SERVER_LOG=<path> keeps each server's stdout in <path>.<target>.<pid>
(for flags that print, such as '--trace-opt --trace-deopt').
`);
  process.exit(0);
}

const sizes = values.sizes
  ? values.sizes.split(',').map(Number)
  : values.quick
    ? [1000]
    : values.full
      ? [1000, 5000, 10_000, 19_900]
      : [1000, 5000, 10_000];
const changes = Number(values.changes ?? (values.quick ? 10 : values.cluster ? 50 : 40));
/** How long the connections sit idle after the join storm before RSS is read. */
const settleMs = Number(values.settle ?? 1000);
const joinOnly = values['join-only'];
const sustainedAt = values['no-sustained'] || values.quick || joinOnly ? 0 : Number(values.sustained ?? 10_000);
const targets = (values.only ? values.only.split(',') : ['baseline', 'livedeck', 'disturbed']) as Target[];
for (const t of targets) if (!['baseline', 'livedeck', 'disturbed'].includes(t)) throw new Error(`--only: unknown target "${t}"`);
/** The disturbed tier runs at the sustained size, or wherever --only asks for it. */
const disturbedAt = (n: number): boolean => !values['no-disturbed'] && !joinOnly && (values.only ? true : n === sustainedAt);
/** Disturbed tier: one phone in FROZEN_EVERY stops reading, and the server pings every HEARTBEAT_MS. */
const FROZEN_EVERY = 100;
const DISTURBED_HEARTBEAT_MS = 1000;
/** What client/connection.ts sends to check its link: a `ping` message this often. */
const BROWSER_PING_MS = PING_EVERY_MS;
const hasPolls = existsSync(join(ROOT, 'protocol/polls.ts')) && /type:\s*'ballot'/.test(readFileSync(join(ROOT, 'protocol/polls.ts'), 'utf8'));
const SLIDES = 400;
/** Upvote flurry: this many upvotes on one question within one second (at most a fifth of the room). */
const FLURRY_VOTES = 2000;
/** ...while the presenter moves this many slides at 10 a second. */
const FLURRY_MOVES = 20;
// Slides after the fan-out changes: 100 for the sustained case, FLURRY_MOVES for the upvote
// flurry, then the poll's slide for the vote burst, which comes last.
const POLL_SLIDE = changes + 101 + FLURRY_MOVES;
if (POLL_SLIDE >= SLIDES) throw new Error(`--changes must be below ${SLIDES - 101 - FLURRY_MOVES}`);

/**
 * The bench deck: change k moves to slide k, so every move is real and the slide number names
 * the change. With polls, slide POLL_SLIDE holds a poll that opens itself when shown (the vote
 * burst). It comes after every slide the other phases visit, so their changes are deck moves
 * only, as the baseline's are; opening the poll is a second broadcast to every phone.
 */
function benchDeck(): string {
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-bench-deck-'));
  const poll = ['```poll', 'id: transport', 'type: single', 'question: How do your apps talk to the server?', 'options:', '  - Polling', '  - Long polling', '  - WebSockets', 'results: live', 'open: on-slide', '```'];
  const slides = Array.from({ length: SLIDES }, (_, i) => (i === POLL_SLIDE && hasPolls ? ['## Pick one', '', ...poll].join('\n') : `# Slide ${i + 1}`));
  writeFileSync(join(dir, 'bench.md'), `---\ntitle: Bench deck\ntheme: black\n---\n\n${slides.join('\n\n---\n\n')}\n`);
  return join(dir, 'bench.md');
}
const deckPath = values.deck ?? benchDeck();

/**
 * baseline: the minimal relay. livedeck: the real server as shipped. disturbed: the real server
 * with its heartbeat at 1 s (15 s by default), every phone sending the browser client's liveness
 * ping (every 2 s, PING_EVERY_MS), and 1 % of the phones frozen (they stop reading
 * and stop answering pings): what slow clients and heartbeats cost the others.
 */
type Target = 'baseline' | 'livedeck' | 'disturbed';

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Summary {
  p50: number;
  p99: number;
  max: number;
}

function summary(values: number[]): Summary {
  if (values.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(values).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}

/* ---------------- processes ---------------- */

interface ServerProc {
  child: ChildProcess;
  pid: number;
  url: string;
  talk: string;
  key: string;
  dataDir: string | null;
}

/** The durability work may add --data-dir; give it a temp dir when the CLI knows the flag. */
function cliKnowsDataDir(): boolean {
  try {
    return readFileSync(join(ROOT, 'server/cli/args.ts'), 'utf8').includes('data-dir');
  } catch {
    return false;
  }
}

async function startServer(target: Target): Promise<ServerProc> {
  const extra = (process.env.LIVEDECK_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const node = [...extra, '--expose-gc', '--import', 'tsx', '--import', './bench/probe.ts'];
  let dataDir: string | null = null;
  const args =
    target === 'baseline'
      ? [...node, 'bench/baseline-relay.ts', '--port', '0']
      : [...node, 'server/main.ts', deckPath, '--port', '0', '--host', '127.0.0.1'];
  if (target === 'disturbed') args.push('--heartbeat-ms', String(DISTURBED_HEARTBEAT_MS));
  if (target !== 'baseline' && cliKnowsDataDir()) {
    dataDir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
    args.push('--data-dir', dataDir);
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${target} stderr] ${d}`));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} did not print a Presenter line in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Presenter: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${target} exited (${code}): ${out}`)));
  });
  // Keep draining stdout so the server never blocks on a full pipe; LIVEDECK_BENCH_SERVER_LOG
  // keeps it (for V8 tracing flags such as --trace-opt, which write to stdout).
  const keep = process.env.LIVEDECK_BENCH_SERVER_LOG;
  if (keep) {
    const file = `${keep}.${target}.${child.pid}`;
    writeFileSync(file, out);
    child.stdout!.on('data', (d: Buffer) => appendFileSync(file, d));
  }
  child.stdout!.resume();
  const u = new URL(line);
  const talk = u.pathname.split('/').pop()!;
  const key = new URLSearchParams(u.hash.slice(1)).get('key')!;
  return { child, pid: child.pid!, url: `ws://${u.host}/ws`, talk, key, dataDir };
}

async function stopServer(server: ServerProc): Promise<void> {
  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(6000)]);
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  if (server.dataDir) rmSync(server.dataDir, { recursive: true, force: true });
}

/* ---------------- /proc ---------------- */

function cpuTicks(pid: number, file = `/proc/${pid}/stat`): number {
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
}

/** A process's CPU since `before`, per unit of work, by thread (see threadTicks), largest first. */
function byThread(pid: number, before: Map<string, number>, units: number, digits: number): string {
  return [...threadTicks(pid)]
    .map(([name, ticks]) => [name, ((ticks - (before.get(name) ?? 0)) * TICK_US) / Math.max(1, units)] as const)
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => `${name} ${us.toFixed(digits)}`)
    .join(', ');
}

/** Busy CPU ticks of the whole machine (all cores; /proc/stat minus idle and iowait). */
function machineTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return fields.reduce((sum, v) => sum + v, 0) - fields[3]! - fields[4]!;
}

/** CPU ticks of a process's main thread and of its other threads (V8's GC helpers, libuv's pool), by name. */
function threadTicks(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Node names every thread "node"; the main thread is the one whose id is the process id.
      const name = Number(tid) === pid ? 'main' : `${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()} (helpers)`;
      byName.set(name, (byName.get(name) ?? 0) + cpuTicks(Number(tid), `/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** Open file descriptors of a process: one per connection, plus a constant few. */
function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function settledRss(server: ServerProc): Promise<number> {
  server.child.kill('SIGUSR2');
  await sleep(700);
  return rssKb(server.pid);
}

/**
 * The second octet of the loopback source addresses for a tier's clients (127.<block+worker>.x.1).
 * It moves on with the clock, every 2 s through 1..249, so a tier never binds the addresses that
 * a run of the last 60 s left in TIME_WAIT (a run of one tier takes longer than 2 s).
 */
function addressBlock(): number {
  return 1 + 2 * (Math.floor(Date.now() / 2000) % 124);
}

/* ---------------- one tier ---------------- */

interface TierResult {
  target: Target;
  n: number;
  joined: number;
  failed: number;
  joinsPerSec: number;
  /** Server CPU per join (upgrade + hello + welcome); 1e6 / this is the join rate one free core could take. */
  cpuUsPerJoin: number;
  /** The two load workers' CPU per join, for reading the join rate on a machine they share. */
  clientCpuUsPerJoin: number;
  rssPerConnKb: number;
  rssIdleMb: number;
  fanoutMs: Summary;
  deliveryMs: Summary;
  missing: number;
  expected: number;
  cpuUsPerDelivery: number;
  sustained?: SustainedResult;
  vote?: VoteResult;
  flurry?: FlurryResult;
  reconnect?: ReconnectResult;
  disturbance?: Disturbance;
}

/** Every phone drops at once and comes back with the seq it had (a Wi-Fi blip). */
interface ReconnectResult {
  phones: number;
  joined: number;
  failed: number;
  /** Answered with `resumed` and only what they missed (livedeck), rather than a full `welcome`. */
  resumed: number;
  perSec: number;
  cpuUsPerJoin: number;
}

interface FlurryResult {
  sent: number;
  /** Audience clients whose newest `question` message showed every vote. */
  allCounted: number;
  audience: number;
  /** `question` messages per bystander (neither voter nor asker) during the flurry. */
  perBystander: Summary;
  /** Deck fan-out of the slide moves made during the flurry. */
  fanoutMs: Summary;
  missing: number;
}

interface Disturbance {
  heartbeatMs: number;
  /** Audience clients that stopped reading before the fan-out phase (excluded from its counts). */
  frozen: number;
  /** Audience clients sending the browser's liveness `ping` message, and how often. */
  pinging: number;
  pingEveryMs: number;
  /** Connections the server closed during the fan-out phase (its open descriptors before minus after). */
  closedByServer: number;
}

interface VoteResult {
  sent: number;
  /** The presenter's last results message: ballots counted. */
  counted: number;
  /** Results messages the presenter got, per second of the burst (coalescing: at most 10/s). */
  resultsPerSecond: number[];
  /** From the first ballot until the presenter saw them all counted. */
  allCountedMs: number;
}

interface SustainedResult {
  rateHz: number;
  changes: number;
  missing: number;
  /** Fan-out p99 per one-second window, in order: a rising series means a growing queue. */
  p99BySecondMs: number[];
  fanoutMs: Summary;
  cpuPercent: number;
  rssGrowthMb: number;
}

async function fanout(workers: Worker[], change: number, timeoutMs: number, sentAt: number) {
  const results = await Promise.all(workers.map((w) => w.request({ cmd: 'collect', change, timeoutMs }, 'collected', timeoutMs + 10_000)));
  let received = 0;
  let expected = 0;
  let last = 0;
  const latencies: number[] = [];
  for (const r of results) {
    received += r.received;
    expected += r.expected;
    for (const t of r.times) {
      if (t === 0) continue;
      latencies.push((t - sentAt) / 1000);
      if (t > last) last = t;
    }
  }
  return { received, expected, fanoutMs: (last - sentAt) / 1000, latencies };
}

/** Fan-out of each change sent without waiting (sustained moves): collected afterwards, in order. */
async function fanoutsOf(workers: Worker[], sent: ReadonlyArray<{ change: number; atUs: number }>): Promise<{ fanouts: number[]; missing: number }> {
  const fanouts: number[] = [];
  let missing = 0;
  for (const s of sent) {
    const r = await fanout(workers, s.change, 5000, s.atUs);
    fanouts.push(r.fanoutMs);
    missing += r.expected - r.received;
  }
  return { fanouts, missing };
}

/** Joins over both workers, and the rate from the first worker's start to the last one's end. */
function stormRate(replies: ReadonlyArray<{ joined: number; failed: number; startUs: number; endUs: number }>): { joined: number; failed: number; perSec: number } {
  const joined = replies.reduce((sum, r) => sum + r.joined, 0);
  const span = Math.max(...replies.map((r) => r.endUs)) - Math.min(...replies.map((r) => r.startUs));
  return { joined, failed: replies.reduce((sum, r) => sum + r.failed, 0), perSec: joined / (span / 1e6) };
}

async function runTier(target: Target, n: number, withSustained: boolean): Promise<TierResult> {
  const server = await startServer(target);
  const workers = [new Worker('w0', log), new Worker('w1', log)];
  try {
    await sleep(500);
    const rss0 = await settledRss(server);
    const half = Math.floor(n / 2);
    log(`${target} n=${n}: connecting`);
    const cpuJoin0 = cpuTicks(server.pid);
    const threads0 = threadTicks(server.pid);
    const clientCpu0 = workers.reduce((sum, w) => sum + cpuTicks(w.child.pid!), 0);
    const machine0 = machineTicks();
    const connected = await Promise.all(
      workers.map((w, i) =>
        w.request(
          { cmd: 'connect', worker: i, url: server.url, talk: server.talk, audience: i === 0 ? half : n - half, presenterKey: i === 0 ? server.key : null, concurrency: 250, addressBlock: addressBlock() },
          'connected',
          180_000,
        ),
      ),
    );
    const { joined, failed, perSec: joinsPerSec } = stormRate(connected);
    const cpuUsPerJoin = ((cpuTicks(server.pid) - cpuJoin0) * TICK_US) / Math.max(1, joined);
    // The load generator shares the cores: its CPU per join bounds the rate as much as the server's does.
    const clientCpuUsPerJoin = ((workers.reduce((sum, w) => sum + cpuTicks(w.child.pid!), 0) - clientCpu0) * TICK_US) / Math.max(1, joined);
    // Whatever else the machine did meanwhile (the kernel's softirq work not charged to a process,
    // this runner, anything else running): a storm that is slow for reasons outside the server shows here.
    const otherCpuUsPerJoin = ((machineTicks() - machine0) * TICK_US) / Math.max(1, joined) - cpuUsPerJoin - clientCpuUsPerJoin;
    log(`${target} n=${n}: ${joined} joined, ${failed} failed, ${joinsPerSec.toFixed(0)} joins/s, ${cpuUsPerJoin.toFixed(0)} µs server CPU/join (clients ${clientCpuUsPerJoin.toFixed(0)} µs, rest of the machine ${otherCpuUsPerJoin.toFixed(0)} µs)`);
    log(`${target} n=${n}: server CPU µs/join by thread: ${byThread(server.pid, threads0, joined, 0)}`);
    if (joinOnly) {
      const none = summary([]);
      return { target, n, joined, failed, joinsPerSec, cpuUsPerJoin, clientCpuUsPerJoin, rssPerConnKb: NaN, rssIdleMb: NaN, fanoutMs: none, deliveryMs: none, missing: 0, expected: 0, cpuUsPerDelivery: NaN };
    }

    await sleep(settleMs);
    const rss1 = await settledRss(server);
    const rssPerConnKb = (rss1 - rss0) / Math.max(1, joined);

    let disturbance: Disturbance | undefined;
    const fds0 = target === 'disturbed' ? openFds(server.pid) : 0;
    if (target === 'disturbed') {
      const events = await Promise.all(workers.map((w) => w.request({ cmd: 'disturb', freezeEvery: FROZEN_EVERY, pingEveryMs: BROWSER_PING_MS }, 'disturbed')));
      const frozen = events.reduce((sum, e) => sum + e.frozen, 0);
      const pinging = events.reduce((sum, e) => sum + e.pinging, 0);
      disturbance = { heartbeatMs: DISTURBED_HEARTBEAT_MS, frozen, pinging, pingEveryMs: BROWSER_PING_MS, closedByServer: 0 };
      log(`${target} n=${n}: ${frozen} phones frozen, ${pinging} sending a ping every ${BROWSER_PING_MS} ms, server heartbeat every ${DISTURBED_HEARTBEAT_MS} ms`);
    }

    // Fan-out: one change at a time, each waited for, then a short gap.
    const fanouts: number[] = [];
    const latencies: number[] = [];
    let missing = 0;
    let expected = 0;
    const cpu0 = cpuTicks(server.pid);
    const fanThreads0 = threadTicks(server.pid);
    for (let c = 1; c <= changes; c++) {
      const sent = await workers[0]!.request({ cmd: 'send', change: c }, 'sent');
      const r = await fanout(workers, c, 3000, sent.atUs);
      fanouts.push(r.fanoutMs);
      for (const l of r.latencies) latencies.push(l);
      missing += r.expected - r.received;
      expected += r.expected;
      await sleep(50);
    }
    const cpuUsPerDelivery = ((cpuTicks(server.pid) - cpu0) * TICK_US) / Math.max(1, expected - missing);
    const fanoutMs = summary(fanouts);
    if (disturbance) {
      disturbance.closedByServer = fds0 - openFds(server.pid);
      log(`${target} n=${n}: the server closed ${disturbance.closedByServer} of ${disturbance.frozen} frozen connections during the fan-out phase`);
    }
    log(`${target} n=${n}: fan-out p50 ${fanoutMs.p50.toFixed(1)} ms, p99 ${fanoutMs.p99.toFixed(1)} ms, missing ${missing}, ${cpuUsPerDelivery.toFixed(2)} µs CPU/delivery`);
    log(`${target} n=${n}: server CPU µs/delivery by thread: ${byThread(server.pid, fanThreads0, expected - missing, 2)}`);

    const result: TierResult = {
      target,
      n,
      joined,
      failed,
      joinsPerSec,
      cpuUsPerJoin,
      clientCpuUsPerJoin,
      rssPerConnKb,
      rssIdleMb: rss1 / 1024,
      fanoutMs,
      deliveryMs: summary(latencies),
      missing,
      expected,
      cpuUsPerDelivery,
      ...(disturbance ? { disturbance } : {}),
    };
    if (withSustained && target !== 'disturbed') result.sustained = await sustained(server, workers, changes + 1);
    if (withSustained && target === 'livedeck') result.flurry = await upvoteFlurry(workers, changes + 101, Math.min(FLURRY_VOTES, Math.floor(n / 5)));
    if (withSustained && target === 'livedeck' && hasPolls && !values.deck) result.vote = await voteBurst(workers, n);
    if (withSustained && target !== 'disturbed') result.reconnect = await reconnectStorm(server, workers, target);
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
    await stopServer(server);
  }
}

/** 10 changes a second for 10 s without waiting: does the send queue keep up? */
async function sustained(server: ServerProc, workers: Worker[], first: number): Promise<SustainedResult> {
  const rateHz = 10;
  const count = 100;
  log(`sustained: ${rateHz} changes/s for ${count / rateHz} s`);
  const rss0 = rssKb(server.pid);
  const cpu0 = cpuTicks(server.pid);
  const t0 = Date.now();
  const done = await workers[0]!.request({ cmd: 'sustain', first, count, intervalMs: 1000 / rateHz }, 'sustained', 60_000);
  const { fanouts, missing } = await fanoutsOf(workers, done.sent);
  const cpuPercent = (((cpuTicks(server.pid) - cpu0) * TICK_US) / 1e6 / ((Date.now() - t0) / 1000)) * 100;
  const p99BySecondMs: number[] = [];
  for (let i = 0; i < fanouts.length; i += rateHz) p99BySecondMs.push(summary(fanouts.slice(i, i + rateHz)).p99);
  const fanoutMs = summary(fanouts);
  log(`sustained: p99 by second ${p99BySecondMs.map((v) => v.toFixed(0)).join(' ')} ms, missing ${missing}`);
  return { rateHz, changes: count, missing, p99BySecondMs, fanoutMs, cpuPercent, rssGrowthMb: (rssKb(server.pid) - rss0) / 1024 };
}

/**
 * A Wi-Fi blip: every phone's connection drops, and once the server has let go of them all, every
 * phone comes back at once with its participant id and the highest seq it had. livedeck answers
 * with `resumed` and the messages missed (none here) plus the Q&A and chat snapshots; the
 * baseline has no resume and sends its welcome. Last in a tier: the phones are new connections after it.
 */
async function reconnectStorm(server: ServerProc, workers: Worker[], target: Target): Promise<ReconnectResult> {
  const dropped = await Promise.all(workers.map((w) => w.request({ cmd: 'drop' }, 'dropped')));
  const phones = dropped.reduce((sum, d) => sum + d.phones, 0);
  const fds = openFds(server.pid);
  for (let i = 0; i < 100 && openFds(server.pid) > fds - phones; i++) await sleep(50);
  await sleep(500);
  log(`reconnect storm: ${phones} phones come back with their last seq`);
  const cpu0 = cpuTicks(server.pid);
  const block = addressBlock();
  const replies = await Promise.all(
    workers.map((w) => w.request({ cmd: 'reconnect', url: server.url, talk: server.talk, concurrency: 250, addressBlock: block }, 'reconnected', 180_000)),
  );
  const { joined, failed, perSec } = stormRate(replies);
  const result: ReconnectResult = {
    phones,
    joined,
    failed,
    resumed: replies.reduce((sum, r) => sum + r.resumed, 0),
    perSec,
    cpuUsPerJoin: ((cpuTicks(server.pid) - cpu0) * TICK_US) / Math.max(1, joined),
  };
  log(`reconnect storm ${target}: ${result.joined} back (${result.resumed} resumed), ${result.failed} failed, ${result.perSec.toFixed(0)}/s, ${result.cpuUsPerJoin.toFixed(0)} µs server CPU each`);
  return result;
}

/** 10 000 participants each vote once within one second: all counted, results coalesced. */
async function voteBurst(workers: Worker[], n: number): Promise<VoteResult> {
  // Showing the poll's slide opens it (open: on-slide).
  const shown = await workers[0]!.request({ cmd: 'send', change: POLL_SLIDE }, 'sent');
  await fanout(workers, POLL_SLIDE, 5000, shown.atUs);
  await sleep(300);
  log(`vote burst: ${n} ballots within 1 s`);
  const replies = await Promise.all(workers.map((w) => w.request({ cmd: 'vote', spreadMs: 1000, settleMs: 3000, poll: 'transport', options: 3 }, 'voted', 30_000)));
  const sent = replies.reduce((s, r) => s + r.sent, 0);
  const startUs = Math.min(...replies.map((r) => r.startUs));
  const results = replies.flatMap((r) => r.results).filter((r) => r.atUs >= startUs);
  const counted = results.at(-1)?.ballots ?? 0;
  const perSecond: number[] = [];
  for (const r of results) {
    const s = Math.floor((r.atUs - startUs) / 1e6);
    perSecond[s] = (perSecond[s] ?? 0) + 1;
  }
  const full = results.find((r) => r.ballots >= sent);
  const allCountedMs = full ? (full.atUs - startUs) / 1000 : NaN;
  log(`vote burst: sent ${sent}, counted ${counted}, results/s [${Array.from(perSecond, (v) => v ?? 0).join(', ')}]`);
  return { sent, counted, resultsPerSecond: Array.from(perSecond, (v) => v ?? 0), allCountedMs };
}

/**
 * A popular question at a keynote: `votes` upvotes within a second while the presenter keeps
 * moving. Does everyone end on the right count, how many messages did each phone get for it,
 * and did the slide moves wait behind the votes?
 */
async function upvoteFlurry(workers: Worker[], first: number, votes: number): Promise<FlurryResult> {
  log(`upvote flurry: ${votes} upvotes within 1 s, ${FLURRY_MOVES} slide moves at 10/s`);
  const { question } = await workers[0]!.request({ cmd: 'ask', text: 'Bench: will it scale?' }, 'asked');
  await sleep(1000);
  const [moves, ...voted] = await Promise.all([
    workers[0]!.request({ cmd: 'sustain', first, count: FLURRY_MOVES, intervalMs: 100 }, 'sustained', 60_000),
    ...workers.map((w) => w.request({ cmd: 'upvote', question, voters: Math.floor(votes / workers.length), spreadMs: 1000, settleMs: 2500 }, 'upvoted', 60_000)),
  ]);
  const { fanouts, missing } = await fanoutsOf(workers, moves.sent);
  const sent = voted.reduce((sum, v) => sum + v.sent, 0);
  const last = voted.flatMap((v) => v.lastVotes);
  const result: FlurryResult = {
    sent,
    allCounted: last.filter((votes) => votes === sent).length,
    audience: last.length,
    perBystander: summary(voted.flatMap((v) => v.bystanders)),
    fanoutMs: summary(fanouts),
    missing,
  };
  log(`upvote flurry: ${sent} sent, ${result.allCounted}/${result.audience} phones ended on ${sent}, question messages per bystander p50/max ${result.perBystander.p50}/${result.perBystander.max}, deck fan-out p50/p99 ${f(result.fanoutMs.p50)}/${f(result.fanoutMs.p99)} ms`);
  return result;
}

/* ---------------- report ---------------- */

const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '-');

function table(results: TierResult[]): string {
  const rows = [
    ['server', 'N', 'fan-out p50/p99/max ms', 'deliv p50/p99 ms', 'missing', 'CPU µs/deliv', 'RSS KB/conn', 'joins/s', 'CPU µs/join', 'p50 ×', 'CPU ×', 'RSS ×', 'joins ×'],
  ];
  for (const r of results) {
    const b = r.target !== 'baseline' ? results.find((x) => x.target === 'baseline' && x.n === r.n) : undefined;
    rows.push([
      r.target,
      String(r.n),
      `${f(r.fanoutMs.p50)}/${f(r.fanoutMs.p99)}/${f(r.fanoutMs.max)}`,
      `${f(r.deliveryMs.p50)}/${f(r.deliveryMs.p99)}`,
      `${r.missing}/${r.expected}`,
      f(r.cpuUsPerDelivery, 2),
      f(r.rssPerConnKb, 2),
      f(r.joinsPerSec, 0),
      f(r.cpuUsPerJoin, 0),
      b ? ratio(r.fanoutMs.p50, b.fanoutMs.p50) : '',
      b ? ratio(r.cpuUsPerDelivery, b.cpuUsPerDelivery) : '',
      b ? ratio(r.rssPerConnKb, b.rssPerConnKb) : '',
      b ? ratio(r.joinsPerSec, b.joinsPerSec) : '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/* ---------------- the laser pointer ---------------- */

interface PointerResult {
  n: number;
  phones: number;
  seconds: number;
  /** Pointer messages the console sent, per second. */
  sentPerSec: number;
  /** Pointer messages per phone per second, and all messages per phone per second (pings' pongs included). */
  pointerPerPhonePerSec: Summary;
  allPerPhonePerSec: Summary;
  /** Server CPU while the pointer moved, in % of one core, and per pointer message delivered. */
  cpuPercent: number;
  cpuUsPerDelivery: number;
}

/** The pointer case alone: N phones join, the console points for `seconds`, each phone counts. */
async function pointerTier(n: number, seconds: number, rateHz: number): Promise<PointerResult> {
  const server = await startServer('livedeck');
  const workers = [new Worker('w0', log), new Worker('w1', log)];
  try {
    const half = Math.floor(n / 2);
    log(`pointer n=${n}: connecting`);
    await Promise.all(
      workers.map((w, i) =>
        w.request(
          { cmd: 'connect', worker: i, url: server.url, talk: server.talk, audience: i === 0 ? half : n - half, presenterKey: i === 0 ? server.key : null, concurrency: 250, addressBlock: addressBlock() },
          'connected',
          180_000,
        ),
      ),
    );
    await sleep(1500);
    log(`pointer n=${n}: the console points for ${seconds} s at ${rateHz}/s`);
    const cpu0 = cpuTicks(server.pid);
    const t0 = performance.now();
    const replies = await Promise.all(workers.map((w) => w.request({ cmd: 'pointer', rateHz, seconds, settleMs: 500 }, 'pointed', seconds * 1000 + 60_000)));
    const wallS = (performance.now() - t0) / 1000;
    const cpuUs = (cpuTicks(server.pid) - cpu0) * TICK_US;
    const pointer = replies.flatMap((r) => r.pointer);
    const all = replies.flatMap((r) => r.all);
    const delivered = pointer.reduce((a, b) => a + b, 0);
    const result: PointerResult = {
      n,
      phones: pointer.length,
      seconds,
      sentPerSec: replies.reduce((a, r) => a + r.sent, 0) / seconds,
      pointerPerPhonePerSec: summary(pointer.map((c) => c / seconds)),
      allPerPhonePerSec: summary(all.map((c) => c / seconds)),
      cpuPercent: (cpuUs / 1e6 / wallS) * 100,
      cpuUsPerDelivery: cpuUs / Math.max(1, delivered),
    };
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
    await stopServer(server);
  }
}

async function pointerMain(seconds: number): Promise<void> {
  const rateHz = Number(values['pointer-rate'] ?? 20);
  const lines: string[] = [];
  const results: PointerResult[] = [];
  for (const n of values.sizes ? sizes : [10_000]) {
    const r = await pointerTier(n, seconds, rateHz);
    results.push(r);
    lines.push(
      `pointer livedeck n=${r.n}: console sent ${f(r.sentPerSec)}/s for ${r.seconds} s; ${r.phones} phones got pointer messages p50/max ${f(r.pointerPerPhonePerSec.p50)}/${f(r.pointerPerPhonePerSec.max)} per second ` +
        `(all messages ${f(r.allPerPhonePerSec.p50)}/${f(r.allPerPhonePerSec.max)}); server CPU ${f(r.cpuPercent, 0)}% of a core, ${f(r.cpuUsPerDelivery, 2)} µs per pointer delivery`,
    );
  }
  lines.push(`load average (1 min): ${f(loadavg()[0]!, 2)} on ${cpus} cores`);
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `pointer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: cpus, rateHz, results }, null, 2));
  log(`wrote ${file}`);
}

async function main(): Promise<void> {
  if (values.pointer !== undefined) return pointerMain(Number(values.pointer) || 5);
  if (values.cluster) {
    const setups = (values.setups ? values.setups.split(',') : ['sqlite', 'redis-1', 'redis-2']) as Setup[];
    for (const s of setups) if (!['sqlite', 'redis-1', 'redis-2'].includes(s)) throw new Error(`--setups: unknown set-up "${s}"`);
    const phones = Number(values.phones ?? 19_900);
    const pollSlide = hasPolls && !values.deck ? POLL_SLIDE : null;
    return clusterMain({ phones, changes, deckPath, pollSlide, ballots: Math.min(10_000, phones), setups });
  }
  const loadBefore = loadavg()[0]!;
  log(`sizes ${sizes.join(',')}, ${changes} changes each, targets ${targets.join(',')}${sustainedAt ? `, sustained at ${sustainedAt}` : ''}`);
  const results: TierResult[] = [];
  for (const n of sizes) {
    for (const target of targets) {
      if (target === 'disturbed' && !disturbedAt(n)) continue;
      results.push(await runTier(target, n, n === sustainedAt));
      await sleep(1000);
    }
  }
  const voted = results.find((r) => r.vote)?.vote;
  const vote = voted
    ? `vote burst livedeck n=${sustainedAt}: ${voted.sent} ballots in 1 s, ${voted.counted} counted, all counted after ${f(voted.allCountedMs, 0)} ms; results messages per second [${voted.resultsPerSecond.join(', ')}]`
    : hasPolls
      ? 'vote burst: not run (needs the sustained tier and the bench deck)'
      : 'vote burst: n/a (no polls yet)';
  const lines = [table(results), ''];
  for (const r of results) {
    if (!r.sustained) continue;
    const s = r.sustained;
    lines.push(
      `sustained ${r.target} n=${r.n}: ${s.rateHz}/s × ${s.changes}: fan-out p50/p99/max ${f(s.fanoutMs.p50)}/${f(s.fanoutMs.p99)}/${f(s.fanoutMs.max)} ms; p99 by second [${s.p99BySecondMs.map((v) => f(v, 0)).join(', ')}] ms; missing ${s.missing}; CPU ${f(s.cpuPercent, 0)}%; RSS +${f(s.rssGrowthMb)} MB`,
    );
  }
  for (const r of results) {
    const d = r.disturbance;
    if (!d) continue;
    const plain = results.find((x) => x.target === 'livedeck' && x.n === r.n);
    lines.push(
      `disturbed livedeck n=${r.n}: ${d.frozen} frozen phones, ${d.pinging} pinging every ${d.pingEveryMs} ms, heartbeat ${d.heartbeatMs} ms, ${d.closedByServer} connections closed by the server; ` +
        `fan-out p50/p99 ${f(r.fanoutMs.p50)}/${f(r.fanoutMs.p99)} ms${plain ? ` (${ratio(r.fanoutMs.p50, plain.fanoutMs.p50)} / ${ratio(r.fanoutMs.p99, plain.fanoutMs.p99)} of undisturbed)` : ''}; ` +
        `CPU/delivery ${f(r.cpuUsPerDelivery, 2)} µs${plain ? ` (${ratio(r.cpuUsPerDelivery, plain.cpuUsPerDelivery)})` : ''}; missing ${r.missing}/${r.expected}`,
    );
  }
  for (const r of results) {
    const fl = r.flurry;
    if (!fl) continue;
    lines.push(
      `upvote flurry ${r.target} n=${r.n}: ${fl.sent} upvotes in 1 s; ${fl.allCounted}/${fl.audience} phones ended on ${fl.sent}; ` +
        `question messages per bystander p50/max ${fl.perBystander.p50}/${fl.perBystander.max}; ` +
        `deck fan-out meanwhile p50/p99 ${f(fl.fanoutMs.p50)}/${f(fl.fanoutMs.p99)} ms${r.sustained ? ` (sustained without votes: ${f(r.sustained.fanoutMs.p50)}/${f(r.sustained.fanoutMs.p99)} ms)` : ''}; missing ${fl.missing}`,
    );
  }
  for (const r of results) {
    const rc = r.reconnect;
    if (!rc || r.target !== 'livedeck') continue;
    const base = results.find((x) => x.target === 'baseline' && x.n === r.n)?.reconnect;
    lines.push(
      `reconnect storm livedeck n=${r.n}: ${rc.joined}/${rc.phones} phones back (${rc.resumed} resumed), ${f(rc.perSec, 0)}/s, ${f(rc.cpuUsPerJoin, 0)} µs server CPU each` +
        (base ? ` (baseline, which has no resume: ${f(base.perSec, 0)}/s, ${f(base.cpuUsPerJoin, 0)} µs; ${ratio(rc.perSec, base.perSec)})` : ''),
    );
  }
  const top = results.filter((r) => r.target === 'livedeck').at(-1);
  if (top) lines.push(`join storm livedeck n=${top.n}: ${f(top.joinsPerSec, 0)} joins/s (hello + welcome snapshot each), ${f(top.cpuUsPerJoin, 0)} µs server CPU per join`);
  lines.push(vote);
  const loadAfter = loadavg()[0]!;
  // Other work on the machine shows up as latency; the ratios (measured minutes apart) absorb most of it.
  lines.push(`load average (1 min) before/after: ${f(loadBefore, 2)} / ${f(loadAfter, 2)} on ${cpus} cores`);
  process.stdout.write(`${lines.join('\n')}\n`);

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: cpus, load: [loadBefore, loadAfter], sizes, changes, results, vote }, null, 2));
  log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
