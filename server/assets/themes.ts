import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toAsset, type Asset } from './bundle.ts';

const require = createRequire(import.meta.url);
const THEME_DIR = join(dirname(require.resolve('reveal.js/reveal.css')), 'theme');

/** A theme stylesheet, with its embedded web fonts split out into their own asset. */
export interface ThemeAsset extends Asset {
  /**
   * The theme's @font-face blocks (base64 WOFF, ~430 KB gzipped for black/white), null when it
   * has none. The projector pages link them normally; phones load them after the first slide
   * shows (font-display: swap), so a slow venue network is never blocked on fonts.
   */
  fonts: Asset | null;
}

const CSS = 'text/css; charset=utf-8';
/** base64 never contains a closing brace, so a block ends at the first one. */
const FONT_FACE = /@font-face\s*\{[^}]*\}/g;

/** Splits a stylesheet into its rules without @font-face and the @font-face blocks (with font-display: swap). */
export function splitFonts(css: string): { rest: string; fonts: string } {
  const faces: string[] = [];
  const rest = css.replace(FONT_FACE, (block) => {
    faces.push(/font-display\s*:/.test(block) ? block : block.replace(/\}$/, ';font-display:swap}'));
    return '';
  });
  return { rest, fonts: faces.join('\n') };
}

/**
 * reveal.js themes, made offline: some import web fonts from a CDN, which a venue without
 * internet cannot reach and which would leak that the talk is happening. Those imports are
 * dropped; the themes fall back to their local font stacks until embedded fonts arrive.
 */
export async function loadTheme(name: string): Promise<ThemeAsset | null> {
  const available = await readdir(THEME_DIR);
  if (!available.includes(`${name}.css`)) return null;
  const css = await readFile(join(THEME_DIR, `${name}.css`), 'utf8');
  const offline = css.replace(/@import\s+(url\()?["']?https?:[^;]*;/g, '');
  const { rest, fonts } = splitFonts(offline);
  return { ...toAsset(Buffer.from(rest), CSS), fonts: fonts ? toAsset(Buffer.from(fonts), CSS) : null };
}
