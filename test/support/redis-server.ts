import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './child-server.ts';

/**
 * A real `redis-server` of the test's own, on a free loopback port, stopped by PID. Tests never
 * use a shared Redis on :6379 (it keeps nothing on disk and other work uses it).
 */
export interface RedisOptions {
  /** Append-only file: 'everysec' or 'always' keeps acknowledged writes across a restart; false keeps nothing. */
  aof?: false | 'everysec' | 'always';
  /** Extra `--name value` arguments, e.g. ['--client-output-buffer-limit', 'pubsub 64kb 32kb 1']. */
  args?: string[];
}

/** Why cluster tests cannot run here, or null when a redis-server binary exists. */
export function redisMissing(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'no redis-server on PATH (Debian: apt-get install -y redis-server; .ci/run installs it)';
  return null;
}

export class RedisProcess {
  child: ChildProcess | null = null;
  readonly dir: string;
  private output = '';

  private constructor(readonly port: number, private readonly options: RedisOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'livedeck-redis-'));
  }

  static async start(options: RedisOptions = {}): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort(), options);
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the process again on the same port and directory (after stop or kill). */
  async launch(): Promise<void> {
    const aof = this.options.aof ?? false;
    const args = [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--save', '',
      '--daemonize', 'no',
      '--appendonly', aof ? 'yes' : 'no',
      ...(aof ? ['--appendfsync', aof] : []),
      '--maxmemory-policy', 'noeviction',
      ...(this.options.args ?? []),
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9: nothing flushed beyond what the AOF policy already wrote. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: Redis finishes its AOF and exits. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** SIGSTOP / SIGCONT: the process stays, its sockets stay open, nothing is answered. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the process and removes its directory. */
  async dispose(): Promise<void> {
    this.resume();
    await this.signal('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
    this.child = null;
  }
}

/** One PING over a raw socket: no Redis client needed to know the server is up. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
