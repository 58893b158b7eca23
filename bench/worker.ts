/** A load worker (bench/load-worker.ts) in a child process, asked one command at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerCommand, WorkerEvent } from './load-worker.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export class Worker {
  readonly child: ChildProcess;
  private pending: Array<{ ev: WorkerEvent['ev']; resolve: (e: WorkerEvent) => void }> = [];

  constructor(
    readonly name: string,
    log: (line: string) => void,
    private readonly defaultTimeoutMs = 120_000,
  ) {
    this.child = fork(join(ROOT, 'bench/load-worker.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx', '--max-old-space-size=4096'], serialization: 'advanced' });
    this.child.on('message', (e: WorkerEvent) => {
      if (e.ev === 'error') log(`${name}: ${e.message}`);
      const i = this.pending.findIndex((p) => p.ev === e.ev);
      if (i >= 0) this.pending.splice(i, 1)[0]!.resolve(e);
    });
  }

  request<E extends WorkerEvent['ev']>(cmd: WorkerCommand, ev: E, timeoutMs = this.defaultTimeoutMs): Promise<Extract<WorkerEvent, { ev: E }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${ev} within ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({
        ev,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<WorkerEvent, { ev: E }>);
        },
      });
      this.child.send(cmd);
    });
  }

  async exit(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ cmd: 'exit' } satisfies WorkerCommand);
    await Promise.race([exited, sleep(graceMs)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
