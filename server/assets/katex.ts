import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';

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

/** A file of KaTeX's dist folder (script, style sheet, fonts), or null for anything else. */
export async function readKatexFile(relative: string): Promise<{ body: Buffer; contentType: string } | null> {
  const full = resolve(DIST, relative);
  const contentType = TYPES[extname(full)];
  if (!contentType || !full.startsWith(DIST + sep) || relative.split('/').some((p) => p.startsWith('.'))) return null;
  const body = await readFile(full).catch(() => null);
  return body ? { body, contentType } : null;
}
