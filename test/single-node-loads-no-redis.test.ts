/**
 * Single-node mode (the default) never loads ioredis: it is imported only with `await import()`
 * once `--redis` is given. Read from esbuild's import graph of server/main.ts, and checked by
 * starting the real server with ioredis made unloadable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { freePort, watchServer } from './support/child-server.ts';
import { TestClient } from './support/client.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLUSTER_REDIS = 'server/cluster/redis.ts';
const isIoredis = (path: string) => /^ioredis(\/|$)/.test(path);

interface Edge {
  from: string;
  to: string;
  kind: string;
}

/** esbuild's graph of an entry: our files bundled, every package left as an external import. */
async function graph(entry: Pick<BuildOptions, 'entryPoints' | 'stdin'>): Promise<Metafile> {
  const result = await build({ ...entry, absWorkingDir: ROOT, bundle: true, platform: 'node', format: 'esm', packages: 'external', metafile: true, write: false, logLevel: 'silent' });
  return result.metafile;
}

function edges(metafile: Metafile): Edge[] {
  return Object.entries(metafile.inputs).flatMap(([from, input]) => input.imports.map(({ path, kind }) => ({ from, to: path, kind })));
}

/** Every file and package reached from `entry` without passing through a dynamic import. */
function staticallyReached(metafile: Metafile, entry: string): Set<string> {
  const all = edges(metafile);
  const reached = new Set([entry]);
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    for (const edge of all) {
      if (edge.from !== file || edge.kind === 'dynamic-import' || reached.has(edge.to)) continue;
      reached.add(edge.to);
      todo.push(edge.to);
    }
  }
  return reached;
}

/** What would make single-node mode load ioredis: a static import of it, or a static path to the cluster's Redis module. */
function redisOnTheStaticPath(metafile: Metafile, entry: string): string[] {
  const reached = staticallyReached(metafile, entry);
  const staticIoredis = edges(metafile).filter((e) => isIoredis(e.to) && e.kind !== 'dynamic-import').map((e) => `${e.from} imports ${e.to} (${e.kind})`);
  return [...staticIoredis, ...[...reached].filter((p) => isIoredis(p) || p === CLUSTER_REDIS).map((p) => `${entry} reaches ${p} statically`)];
}

describe('single-node mode without Redis', () => {
  it('imports ioredis only dynamically, and reaches neither ioredis nor the cluster Redis module statically', async () => {
    const metafile = await graph({ entryPoints: ['server/main.ts'] });
    assert.ok(Object.keys(metafile.inputs).length > 50, 'the graph holds the whole server');
    assert.deepEqual(redisOnTheStaticPath(metafile, 'server/main.ts'), []);
    // Cluster modules may import each other statically: they are all behind a dynamic import.
    for (const edge of edges(metafile).filter((e) => isIoredis(e.to))) {
      assert.equal(edge.kind, 'dynamic-import', `${edge.from} imports ${edge.to}`);
    }
  });

  it('the check catches a static import of ioredis, direct or through the cluster Redis module', async () => {
    for (const contents of ["import 'ioredis';", `import { commandConnection } from './${CLUSTER_REDIS}'; export { commandConnection };`]) {
      const metafile = await graph({ stdin: { contents: `${contents}\nimport './server/main.ts';`, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' } });
      const entry = Object.keys(metafile.inputs).find((p) => p.endsWith('entry.ts'));
      assert.ok(entry, 'the stand-in entry is in the graph');
      assert.notDeepEqual(redisOnTheStaticPath(metafile, entry), [], `caught: ${contents}`);
    }
  });

  it('starts, serves a phone and relays a slide change when ioredis cannot be loaded at all', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livedeck-no-redis-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', './test/support/no-ioredis.mjs', '--import', 'tsx', 'server/main.ts', 'test/fixtures/small.md', '--port', String(port), '--host', '127.0.0.1', '--data-dir', join(dir, 'data')],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const server = await watchServer(child, port, 45_000);
      const res = await fetch(`http://127.0.0.1:${port}/j/${server.code}`);
      assert.equal(res.status, 200, 'the phone page is served');
      await res.body?.cancel();
      // A slide change goes through the talk's log and reaches a phone: the write path needs no Redis either.
      const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
      const phone = await TestClient.join(port, server.code, 'audience');
      presenter.send({ type: 'goto', state: { indexh: 2, indexv: 0, indexf: -1, paused: false, overview: false } });
      assert.equal((await phone.next('deck', 10_000)).state.indexh, 2);
      for (const c of [presenter, phone]) c.close();
      assert.doesNotMatch(server.output(), /no-ioredis/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
