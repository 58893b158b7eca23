import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toAsset, type Asset } from './bundle.ts';

const require = createRequire(import.meta.url);
/** reveal.js ships monokai and zenburn beside its highlight plugin; every other name is a highlight.js style. */
const MONOKAI = require.resolve('reveal.js/plugin/highlight/monokai.css');
const REVEAL_STYLES = dirname(MONOKAI);
const REVEAL_NAMES = new Set(['monokai', 'zenburn']);
const HLJS_STYLES = join(dirname(require.resolve('highlight.js/package.json')), 'styles');
/** highlight.js style names: `zenburn`, `base16/zenburn`, `atom-one-dark`. */
const STYLE_NAME = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)?$/i;

export interface HighlightTheme {
  /** What the page links: a served style under /assets/hljs/, or the deck's own URL as given. */
  url: string;
  /** The served style sheet and the path it is served at, when it is one of ours. */
  served: { path: string; asset: Asset } | null;
  /** Said at start when the deck asked for a style that does not exist. */
  warning: string | null;
}

/**
 * The deck's `highlightTheme`: a URL (a CSS file beside the deck, under /deck/) is linked as it
 * is; a name is looked up in reveal.js (monokai, zenburn) and highlight.js (`base16/zenburn`, reveal-md's
 * default, and 160 more); an unknown name falls back
 * to monokai, reveal.js's own default, with a warning rather than a deck without colours.
 */
export async function loadHighlightTheme(theme: string | null): Promise<HighlightTheme | null> {
  if (theme === null) return null;
  if (theme.startsWith('/') || /^https?:\/\//.test(theme)) return { url: theme, served: null, warning: null };
  const name = theme.replace(/\.css$/, '');
  if (REVEAL_NAMES.has(name)) return serve(name, await readFile(join(REVEAL_STYLES, `${name}.css`)), null);
  if (STYLE_NAME.test(name)) {
    const css = await readFile(join(HLJS_STYLES, `${name}.css`)).catch(() => null);
    if (css) return serve(name, css, null);
  }
  return serve('monokai', await readFile(MONOKAI), `Unknown highlight theme "${theme}"; using monokai.`);
}

function serve(name: string, css: Buffer, warning: string | null): HighlightTheme {
  const asset = toAsset(css, 'text/css; charset=utf-8');
  const path = `/assets/hljs/${name}.css`;
  return { url: `${path}?v=${asset.hash}`, served: { path, asset }, warning };
}
