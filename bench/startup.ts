/**
 * `npm run bench:startup`: time from starting the command to the printed URLs, for each way
 * livedeck can be started. Loopback only; each run is stopped with SIGTERM before the next.
 *   tsx wrapper        tsx server/main.ts (the old npm start: a wrapper process around node)
 *   npm start          npm start -- … (node --import tsx in one process, behind npm)
 *   node --import tsx  the same without npm
 *   built package      node dist/livedeck.js (plain JavaScript, what `npx livedeck` runs)
 *
 *   npm run bench:startup -- --runs 7
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const DECK = join(ROOT, 'slides');
const ARGS = [DECK, '--port', '0', '--host', '127.0.0.1'];

const WAYS: Record<string, [string, string[]]> = {
  'tsx wrapper': [join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts', ...ARGS]],
  'npm start': ['npm', ['start', '--silent', '--', ...ARGS]],
  'node --import tsx': [process.execPath, ['--import', 'tsx', 'server/main.ts', ...ARGS]],
  'built package': [process.execPath, ['dist/livedeck.js', ...ARGS]],
};

/** Milliseconds from spawn to the banner's last URL line; the process is then stopped. */
function once(command: string, args: string[], dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args, '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let took: number | null = null;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (took === null && /Join code:/.test(out)) {
        took = performance.now() - started;
        process.kill(-child.pid!, 'SIGTERM');
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('close', () => (took === null ? reject(new Error(`${command} exited before printing URLs:\n${out}`)) : resolve(took)));
  });
}

async function main(): Promise<void> {
  const build = spawn(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
  await new Promise((resolve) => build.once('close', resolve));
  const tmp = mkdtempSync(join(tmpdir(), 'livedeck-startup-'));
  try {
    process.stdout.write(`start to URLs, ${RUNS} runs each (the first run of each way warms caches and is not counted)\n`);
    for (const [name, [command, args]] of Object.entries(WAYS)) {
      const times: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const ms = await once(command, args, join(tmp, `${name.replace(/\W+/g, '-')}-${i}`));
        if (i > 0) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      process.stdout.write(`${name.padEnd(18)} median ${median.toFixed(0).padStart(5)} ms   min ${times[0]!.toFixed(0).padStart(5)} ms   max ${times.at(-1)!.toFixed(0).padStart(5)} ms\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
