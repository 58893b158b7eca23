import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  /** Short content hash, put in URLs so assets can be cached forever. */
  hash: string;
}

export type Assets = ReadonlyMap<string, Asset>;

/** Where `npm run build` writes the browser bundles, for the package (scripts/build.ts). */
export const BUILT_ASSETS_DIR = join(PACKAGE_ROOT, 'dist', 'assets');

/**
 * Compiled JavaScript runs only from the built package, whose browser bundles were built with
 * it; the TypeScript sources (a checkout, tests) bundle in memory instead, so a checkout never
 * serves bundles older than its code.
 */
const RUNNING_BUILT = !import.meta.url.endsWith('.ts');

/** The browser entry points, one per page. */
export const PAGES = ['audience', 'presenter', 'screen', 'moderator'] as const;
export type Page = (typeof PAGES)[number];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function toAsset(body: Buffer, contentType: string): Asset {
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    contentType,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
  };
}

let cached: Promise<Assets> | null = null;

/**
 * The browser bundles, once per process: read from dist/assets in the built package, else
 * bundled in memory with esbuild (a few hundred milliseconds; nothing written to disk).
 */
export function bundleAssets(): Promise<Assets> {
  cached ??= RUNNING_BUILT ? readBuiltAssets() : buildAssets();
  return cached;
}

/** The bundled browser files by name (`audience.js`, `audience.css`, …), as served under /assets/. */
export async function buildBrowserFiles(): Promise<Map<string, Buffer>> {
  // Loaded only here: the built package serves pre-built files and does not ship esbuild.
  const { build, stop } = await import('esbuild');
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: Object.fromEntries(PAGES.map((p) => [p, `${p}/main.ts`])),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
  });
  // Nothing is bundled again in this process, and an idle esbuild service is a child process
  // that keeps its memory and pings this one through a pipe for as long as the talk runs.
  await stop();
  const files = new Map<string, Buffer>();
  for (const file of result.outputFiles) files.set(file.path.slice(file.path.lastIndexOf('/') + 1), Buffer.from(file.contents));
  return files;
}

function toAssets(files: Iterable<[string, Buffer]>): Assets {
  const assets = new Map<string, Asset>();
  for (const [name, body] of files) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, toAsset(body, type));
  }
  return assets;
}

async function buildAssets(): Promise<Assets> {
  return toAssets(await buildBrowserFiles());
}

async function readBuiltAssets(): Promise<Assets> {
  const names = await readdir(BUILT_ASSETS_DIR);
  return toAssets(await Promise.all(names.map(async (name): Promise<[string, Buffer]> => [name, await readFile(join(BUILT_ASSETS_DIR, name))])));
}
