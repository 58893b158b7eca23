import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, stop } from 'esbuild';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  /** Short content hash, put in URLs so assets can be cached forever. */
  hash: string;
}

export type Assets = ReadonlyMap<string, Asset>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
 * Bundles the browser code in memory with esbuild, once per process: nothing is written to
 * disk, so a checkout can never serve stale bundles. Takes a few hundred milliseconds.
 */
export function bundleAssets(): Promise<Assets> {
  cached ??= buildAssets();
  return cached;
}

async function buildAssets(): Promise<Assets> {
  const result = await build({
    absWorkingDir: ROOT,
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
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const ext = name.slice(name.lastIndexOf('.'));
    const type = TYPES[ext];
    if (type) assets.set(name, toAsset(Buffer.from(file.contents), type));
  }
  // Nothing is bundled again in this process, and an idle esbuild service is a child process
  // that keeps its memory and pings this one through a pipe for as long as the talk runs.
  await stop();
  return assets;
}
