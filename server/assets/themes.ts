import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toAsset, type Asset } from './bundle.ts';

const require = createRequire(import.meta.url);
const THEME_DIR = join(dirname(require.resolve('reveal.js/reveal.css')), 'theme');

/**
 * reveal.js themes, made offline: some import web fonts from a CDN, which a venue without
 * internet cannot reach and which would leak that the talk is happening. Those imports are
 * dropped; the themes fall back to their local font stacks.
 */
export async function loadTheme(name: string): Promise<Asset | null> {
  const available = await readdir(THEME_DIR);
  if (!available.includes(`${name}.css`)) return null;
  const css = await readFile(join(THEME_DIR, `${name}.css`), 'utf8');
  const offline = css.replace(/@import\s+(url\()?["']?https?:[^;]*;/g, '');
  return toAsset(Buffer.from(offline), 'text/css; charset=utf-8');
}
