import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Balancer } from './balancer.ts';
import { freePort, watchServer } from './child-server.ts';
import { FaultProxy } from './fault-proxy.ts';
import { RedisProcess, type RedisOptions } from './redis-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SMALL_DECK = fileURLToPath(new URL('../fixtures/small.md', import.meta.url));
/** Child processes start slowly when eight engineers share two cores. */
const START_TIMEOUT_MS = 45_000;

export interface ClusterOptions {
  /** Relay nodes, 2 unless told. */
  nodes?: number;
  deck?: string;
  /** A Redis the test already runs (it is not disposed by the cluster), or options for one of the cluster's own. */
  redis?: RedisProcess | RedisOptions;
  /** Puts a FaultProxy between each node and Redis, so one node can be cut off alone. */
  faults?: boolean;
  /** Extra arguments for every node's command line. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Why cluster tests cannot run here, or null: no redis-server, or a `livedeck` without `--redis`. */
export function clusterMissing(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'no redis-server on PATH (Debian: apt-get install -y redis-server; .ci/run installs it)';
  const help = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  if (!/--redis\b/.test(help.stdout ?? '')) return 'this livedeck has no --redis option (cluster mode not built in)';
  return null;
}

/** One relay process, on a fixed port and data directory so it can come back as itself. */
export class ClusterNode {
  child: ChildProcess | null = null;
  private out = '';
  /** Every earlier run's output, so a test can read what a killed node printed. */
  private history = '';

  constructor(
    readonly index: number,
    readonly port: number,
    readonly dataDir: string,
    /** The node's own path to Redis, when the cluster was started with `faults`. */
    readonly proxy: FaultProxy | null,
    readonly redisUrl: string,
    private readonly options: { args: string[]; env: NodeJS.ProcessEnv; publicUrl?: string },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What this node printed since it was last started (stdout and stderr). */
  output(): string {
    return this.out;
  }

  /** What it printed over all its runs. */
  allOutput(): string {
    return this.history + this.out;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process with `args` (after `node --import tsx server/main.ts`), returning it once spawned. */
  spawn(args: string[]): ChildProcess {
    this.history += this.out;
    this.out = '';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', ...args, '--redis', this.redisUrl, '--port', String(this.port), '--host', '127.0.0.1', '--data-dir', this.dataDir, ...this.options.args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.options.env } },
    );
    child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child = child;
    return child;
  }

  /** Starts it as `livedeck serve`, resolving once it prints `Node ready: talk <CODE> on …`. */
  async serve(): Promise<string> {
    // Every node is told the public name phones use, as an operator does (docs/scaling.md).
    const child = this.spawn(['serve', ...(this.options.publicUrl ? ['--public-url', this.options.publicUrl] : [])]);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const ready = new RegExp(`Node ready: talk ([A-Z0-9]+) on http://127\\.0\\.0\\.1:${this.port}\\b`).exec(this.out);
      if (ready) return ready[1]!;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`node ${this.index} (port ${this.port}) did not become ready:\n${this.out}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** kill -9: no goodbye to phones or Redis. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the node's own graceful shutdown. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Starts it again (after kill9 or stop) on the same port and data directory, as `livedeck serve`. */
  async restart(): Promise<void> {
    if (this.running) await this.stop();
    await this.serve();
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
  }
}

/**
 * N relay nodes as real child processes on one real redis-server, a round-robin Balancer in front
 * (its address is the talk's --public-url), and optionally a FaultProxy between each node and Redis.
 * Node 0 registers the talk (`livedeck <deck> --redis …`); the others join with `livedeck serve`.
 */
export class Cluster {
  private constructor(
    readonly redis: RedisProcess,
    private readonly ownsRedis: boolean,
    readonly balancer: Balancer,
    readonly nodes: ClusterNode[],
    readonly code: string,
    readonly presenterKey: string,
    private readonly dir: string,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const count = options.nodes ?? 2;
    const ownsRedis = !(options.redis instanceof RedisProcess);
    const redis = options.redis instanceof RedisProcess ? options.redis : await RedisProcess.start(options.redis ?? {});
    const dir = mkdtempSync(join(tmpdir(), 'livedeck-cluster-'));
    const balancer = new Balancer();
    const nodes: ClusterNode[] = [];
    try {
      await balancer.listen();
      for (let i = 0; i < count; i++) {
        let proxy: FaultProxy | null = null;
        if (options.faults) {
          proxy = new FaultProxy(redis.port);
          await proxy.listen();
        }
        const dataDir = join(dir, `node${i}`);
        mkdirSync(dataDir);
        const redisUrl = proxy ? `redis://127.0.0.1:${proxy.port}` : redis.url;
        nodes.push(new ClusterNode(i, await freePort(), dataDir, proxy, redisUrl, { args: options.args ?? [], env: options.env ?? {}, publicUrl: `http://127.0.0.1:${balancer.port}` }));
      }
      const first = nodes[0]!;
      const publicUrl = `http://127.0.0.1:${balancer.port}`;
      const registered = await watchServer(first.spawn([options.deck ?? SMALL_DECK, '--public-url', publicUrl]), first.port, START_TIMEOUT_MS);
      const codes = await Promise.all(nodes.slice(1).map((node) => node.serve()));
      const stray = codes.find((code) => code !== registered.code);
      if (stray) throw new Error(`a node serves talk ${stray}, not the registered ${registered.code}`);
      for (const node of nodes) balancer.add(node.port);
      return new Cluster(redis, ownsRedis, balancer, nodes, registered.code, registered.presenterKey, dir);
    } catch (error) {
      await shutDown(nodes, balancer, ownsRedis ? redis : null, dir);
      throw error;
    }
  }

  /** The balancer's address: what phones and the presenter use, and what the talk's links print. */
  get url(): string {
    return `http://127.0.0.1:${this.balancer.port}`;
  }

  get port(): number {
    return this.balancer.port;
  }

  /** Resolves once `GET /healthz` on that node answers 200 (it reaches Redis and does not lag). */
  async waitHealthy(node: ClusterNode, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      const status = await healthStatus(node);
      if (status === 200) return;
      last = String(status);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node ${node.index} (port ${node.port}) not healthy after ${timeoutMs} ms (last: ${last}):\n${node.output()}`);
  }

  /** Kills every node, closes the balancer and proxies, disposes Redis if the cluster started it. */
  async close(): Promise<void> {
    await shutDown(this.nodes, this.balancer, this.ownsRedis ? this.redis : null, this.dir);
  }
}

/** `/healthz` status of a node, or an error's code when it does not answer at all. */
export async function healthStatus(node: ClusterNode): Promise<number | string> {
  try {
    const res = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
  }
}

async function shutDown(nodes: ClusterNode[], balancer: Balancer, redis: RedisProcess | null, dir: string): Promise<void> {
  await Promise.all(nodes.map((node) => node.kill9()));
  await balancer.close();
  await Promise.all(nodes.map((node) => node.proxy?.close()));
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}
