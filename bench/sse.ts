/**
 * `npm run bench:sse`: what a phone on the fallback transport (SSE for server→client) costs
 * beside one on a WebSocket. For each transport in turn, in the same run: a fresh server
 * process, N phones joined (default 1 000, on loopback), then the presenter moves the deck
 * `--changes` times, 100 ms apart. Prints delivery latency (presenter send → phone receive)
 * p50/p99 and the server's CPU per delivery. Nothing here asserts timings; the figures go in
 * docs/performance.md.
 *
 *   npm run bench:sse -- --phones 1000 --changes 40
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { SseWorkerCommand, SseWorkerEvent } from './sse-worker.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { phones: { type: 'string' }, changes: { type: 'string' }, only: { type: 'string' } } });
const PHONES = Number(values.phones ?? 1000);
const CHANGES = Number(values.changes ?? 40);
const KINDS = (values.only?.split(',') ?? ['websocket', 'sse']) as Array<'websocket' | 'sse'>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const log = (line: string) => process.stderr.write(`[bench:sse] ${line}\n`);

function deck(): string {
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-bench-sse-'));
  const slides = Array.from({ length: CHANGES + 2 }, (_, i) => `# Slide ${i + 1}`);
  writeFileSync(join(dir, 'bench.md'), `---\ntitle: Bench\ntheme: black\n---\n\n${slides.join('\n\n---\n\n')}\n`);
  return join(dir, 'bench.md');
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function startServer(deckPath: string): Promise<{ child: ChildProcess; port: number; talk: string; key: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', deckPath, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Presenter: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  const u = new URL(line);
  return { child, port: Number(u.port), talk: u.pathname.split('/').pop()!, key: new URLSearchParams(u.hash.slice(1)).get('key')! };
}

function ask<E extends SseWorkerEvent['ev']>(worker: ChildProcess, cmd: SseWorkerCommand, ev: E): Promise<Extract<SseWorkerEvent, { ev: E }>> {
  return new Promise((resolve, reject) => {
    const on = (e: SseWorkerEvent) => {
      if (e.ev === 'error') reject(new Error(e.message));
      else if (e.ev === ev) resolve(e as Extract<SseWorkerEvent, { ev: E }>);
      else return;
      worker.off('message', on);
    };
    worker.on('message', on);
    worker.send(cmd);
  });
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function run(kind: 'websocket' | 'sse', deckPath: string) {
  const server = await startServer(deckPath);
  const worker = fork(join(ROOT, 'bench/sse-worker.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'] });
  try {
    const presenter = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    await new Promise((r) => presenter.once('open', r));
    presenter.send(JSON.stringify({ type: 'hello', v: 1, role: 'presenter', talk: server.talk, key: server.key }));
    const joined = await ask(worker, { cmd: 'connect', kind, port: server.port, talk: server.talk, phones: PHONES }, 'connected');
    log(`${kind}: ${joined.joined} phones joined`);
    await sleep(1000);
    const sent: number[] = [];
    const before = cpuTicks(server.child.pid!);
    for (let k = 1; k <= CHANGES; k++) {
      sent.push(nowUs());
      presenter.send(JSON.stringify({ type: 'goto', state: { indexh: k, indexv: 0, indexf: -1, paused: false, overview: false } }));
      await sleep(100);
    }
    await sleep(1000);
    const ticks = cpuTicks(server.child.pid!) - before;
    const { times } = await ask(worker, { cmd: 'collect', changes: CHANGES }, 'collected');
    const latencies: number[] = [];
    let missing = 0;
    let finalMissing = 0;
    for (const phone of times) {
      phone.forEach((at, k) => (at < 0 ? missing++ : latencies.push((at - sent[k]!) / 1000)));
      if (phone[CHANGES - 1]! < 0) finalMissing++;
    }
    latencies.sort((a, b) => a - b);
    presenter.close();
    // Ticks are 10 ms (USER_HZ 100); the 1 s idle after the last move is included, as for both kinds.
    const deliveries = latencies.length;
    return { kind, phones: joined.joined, deliveries, missing, finalMissing, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), cpuUsPerDelivery: (ticks * 10_000) / Math.max(1, deliveries) };
  } finally {
    worker.send({ cmd: 'exit' } satisfies SseWorkerCommand);
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

const deckPath = deck();
const results = [];
for (const kind of KINDS) results.push(await run(kind, deckPath));
process.stdout.write(`\n${PHONES} phones, ${CHANGES} deck moves 100 ms apart, loopback\n`);
// A move superseded while a big room's fan-out was still going is skipped on purpose (Room
// coalescing): "skipped" counts those; the last move must reach every phone.
process.stdout.write('transport   deliveries  skipped  last move missing  p50 ms  p99 ms  server CPU µs/delivery\n');
for (const r of results) {
  process.stdout.write(
    `${r.kind.padEnd(11)} ${String(r.deliveries).padStart(10)} ${String(r.missing).padStart(8)} ${String(r.finalMissing).padStart(18)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.cpuUsPerDelivery.toFixed(2).padStart(22)}\n`,
  );
}
process.stdout.write(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
