/**
 * The package as a speaker gets it: `npm pack` (which builds dist/ through prepack), the tarball
 * installed into an empty folder, and its `livedeck` command run with plain node: no tsx, no
 * esbuild, no TypeScript sources in the install. Then the printed audience page and its
 * bundle are fetched.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { watchServer } from './support/child-server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'livedeck-pack-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** npm's words for a registry it cannot reach. */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH|network|offline/i;

const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * better-sqlite3 downloads a prebuilt binary from GitHub when it installs, else compiles SQLite
 * (minutes). Install scripts are skipped and the binary this checkout already has is copied
 * in, when it is the same version: the test is about our package, not about compiling SQLite.
 */
async function provideSqliteBinary(app: string): Promise<void> {
  const installed = join(app, 'node_modules', 'better-sqlite3');
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  if (versionOf(installed) === versionOf(ours)) {
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(installed, 'build', 'Release', 'better_sqlite3.node'));
  } else {
    await run('npm', ['rebuild', 'better-sqlite3'], { cwd: app, timeout: 600_000 });
  }
}

describe('the packed tarball', () => {
  it('installs into an empty folder and `livedeck` serves the demo talk with plain node', { timeout: 900_000 }, async (t) => {
    await run('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT, timeout: 120_000 });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');

    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke', private: true }));
    try {
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball)], { cwd: app, timeout: 300_000 });
    } catch (err) {
      const text = String((err as { stderr?: string }).stderr ?? err);
      if (OFFLINE.test(text)) return t.skip(`the npm registry is unreachable and the local npm cache lacks a dependency: ${text.split('\n')[0]}`);
      throw err;
    }
    await provideSqliteBinary(app);

    const pkg = join(app, 'node_modules', 'livedeck');
    assert.ok(existsSync(join(pkg, 'dist', 'livedeck.js')), 'the build is in the package');
    assert.ok(!existsSync(join(pkg, 'server')), 'the TypeScript sources are not');
    for (const dev of ['tsx', 'esbuild', 'typescript']) assert.ok(!existsSync(join(app, 'node_modules', dev)), `${dev} is not installed`);

    const started = performance.now();
    const child = spawn(join(app, 'node_modules', '.bin', 'livedeck'), ['--port', '0', '--host', '127.0.0.1', '--data-dir', join(tmp, 'data')], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = await watchServer(child, 0, 30_000);
    const took = performance.now() - started;
    try {
      const audience = /Audience: (http:\/\/\S+)/.exec(server.output())?.[1];
      assert.ok(audience, 'the audience URL is printed');
      console.log(`# packed livedeck: start to URLs ${took.toFixed(0)} ms (${audience})`);

      const page = await fetch(audience);
      assert.equal(page.status, 200);
      const html = await page.text();
      const script = /src="(\/assets\/audience\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
      assert.ok(script, 'the page links its bundle');
      const bundle = await fetch(new URL(script, audience));
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
      assert.equal(await bundle.text(), readFileSync(join(pkg, 'dist', 'assets', 'audience.js'), 'utf8'), 'the pre-built bundle is served');
      const picture = await fetch(new URL('/deck/img/handshake.svg', audience));
      assert.equal(picture.status, 200, 'the demo deck ships its pictures');
      const theme = /href="(\/theme\/[a-z]+\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
      assert.ok(theme, 'the page links its theme');
      assert.equal((await fetch(new URL(theme, audience))).status, 200, 'reveal.js themes load from the installed reveal.js');

      child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
