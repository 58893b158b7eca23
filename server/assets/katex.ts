import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { toAsset, type Asset } from './bundle.ts';

const require = createRequire(import.meta.url);
/** node_modules/katex/dist: what reveal.js's math plugin loads, with `katex.local` pointing here. */
const DIST = join(dirname(require.resolve('katex/package.json')), 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * The files served so far, by full path: each is read once (and gzipped once, on the first
 * request that accepts gzip) instead of from disk on every request of every phone. Only files
 * that exist are kept, so the map is bounded by KaTeX's dist folder.
 */
const served = new Map<string, Promise<Asset | null>>();

/** A file of KaTeX's dist folder (script, style sheet, fonts) as an Asset, or null for anything else. */
export function katexAsset(relative: string): Promise<Asset | null> {
  const full = resolve(DIST, relative);
  const contentType = TYPES[extname(full)];
  if (!contentType || !full.startsWith(DIST + sep) || relative.split('/').some((p) => p.startsWith('.'))) return Promise.resolve(null);
  let entry = served.get(full);
  if (!entry) {
    entry = readFile(full).then(
      (body) => toAsset(body, contentType),
      () => null,
    );
    served.set(full, entry);
    // A missing file is not remembered: requests for made-up names must not grow the map.
    void entry.then((asset) => {
      if (!asset) served.delete(full);
    });
  }
  return entry;
}
