import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  port: number;
  code: string;
  presenterKey: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) when the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A free loopback port, so a restarted server can come back on the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real `livedeck` command in a child process, so kill -9 and SIGTERM are real. Resolves
 * once the banner is printed (the server is listening).
 */
export async function spawnServer(deck: string, port: number, args: string[] = [], timeoutMs = 20_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', deck, '--port', String(port), '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchServer(child, port, timeoutMs);
}

/**
 * Follows a started `livedeck` (however it was launched: node, npm start, the packed bin) until
 * it prints its banner, and reads the join code and presenter key from it.
 */
export async function watchServer(child: ChildProcess, port: number, timeoutMs = 20_000): Promise<ChildServer> {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /Presenter: https?:\/\/[^/]+\/presenter\/([A-Z0-9]+)#key=([A-Za-z0-9_-]+)/.exec(out);
    if (m && /Join code:/.test(out)) return { child, port, code: m[1]!, presenterKey: m[2]!, output: () => out, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
