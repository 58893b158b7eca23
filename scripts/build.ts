/**
 * `npm run build` (and `npm pack`, through prepack): the package as plain JavaScript, so the
 * speaker's `npx livedeck` runs with node alone and compiles nothing on their laptop.
 *   dist/livedeck.js   the server, one ES module; npm packages stay imports (better-sqlite3 is native)
 *   dist/assets/       the browser bundles, the same files the sources bundle in memory, and a manifest
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUILT_ASSETS_DIR, buildBrowserFiles, writeBrowserFiles } from '../server/assets/bundle.ts';
import { PACKAGE_ROOT } from '../server/package-root.ts';

const DIST = join(PACKAGE_ROOT, 'dist');
const started = performance.now();

await rm(DIST, { recursive: true, force: true });
// dist/livedeck.js sits one level below the package folder, as server/package-root.ts expects.
await build({
  absWorkingDir: PACKAGE_ROOT,
  entryPoints: ['server/main.ts'],
  outfile: join(DIST, 'livedeck.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
await mkdir(BUILT_ASSETS_DIR, { recursive: true });
const browser = await buildBrowserFiles();
await writeBrowserFiles(browser);
process.stdout.write(`built dist/livedeck.js and ${browser.files.size} browser files in ${(performance.now() - started).toFixed(0)} ms\n`);
