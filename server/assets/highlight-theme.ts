import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toAsset, type Asset } from './bundle.ts';

const require = createRequire(import.meta.url);
/** reveal.js ships its own monokai and zenburn beside its highlight plugin (not highlight.js's files of those names). */
const REVEAL_MONOKAI = require.resolve('reveal.js/plugin/highlight/monokai.css');
const REVEAL_STYLES = dirname(REVEAL_MONOKAI);
const REVEAL_NAMES = new Set(['monokai', 'zenburn']);
/** How the deck model names one of reveal.js's own files (an HTML deck that links it): `reveal:monokai`. */
const REVEAL_PREFIX = 'reveal:';
const HLJS_STYLES = join(dirname(require.resolve('highlight.js/package.json')), 'styles');
/** highlight.js style names: `monokai`, `base16/zenburn`, `atom-one-dark`. */
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
 * The deck's `highlightTheme` (RevealSetup.highlightTheme):
 * - a URL (a CSS file beside the deck, under /deck/) is linked as it is;
 * - `reveal:monokai` / `reveal:zenburn` is reveal.js's own file, what an HTML deck that links
 *   `plugin/highlight/monokai.css` gets in reveal.js;
 * - a bare name is highlight.js's `styles/<name>.css`, as reveal-md serves a Markdown deck's
 *   `highlightTheme` (its `monokai` is highlight.js's, not reveal.js's: other padding and colours).
 *   `zenburn`, which highlight.js 11 no longer has (only `base16/zenburn`), is reveal.js's file;
 *   any other unknown name falls back to reveal.js's monokai with a warning rather than a deck
 *   without colours.
 */
export async function loadHighlightTheme(theme: string | null): Promise<HighlightTheme | null> {
  if (theme === null) return null;
  if (theme.startsWith('/') || /^https?:\/\//.test(theme)) return { url: theme, served: null, warning: null };
  if (theme.startsWith(REVEAL_PREFIX)) {
    const name = theme.slice(REVEAL_PREFIX.length);
    if (REVEAL_NAMES.has(name)) return serveReveal(name, null);
    return serveReveal('monokai', `Unknown highlight theme "${theme}"; using reveal.js's monokai.`);
  }
  const name = theme.replace(/\.css$/, '');
  if (STYLE_NAME.test(name)) {
    const css = await readFile(join(HLJS_STYLES, `${name}.css`)).catch(() => null);
    if (css) return serve(`/assets/hljs/${name}.css`, css, null);
  }
  if (REVEAL_NAMES.has(name)) return serveReveal(name, null);
  return serveReveal('monokai', `Unknown highlight theme "${theme}"; using reveal.js's monokai.`);
}

async function serveReveal(name: string, warning: string | null): Promise<HighlightTheme> {
  return serve(`/assets/hljs/reveal/${name}.css`, await readFile(join(REVEAL_STYLES, `${name}.css`)), warning);
}

function serve(path: string, css: Buffer, warning: string | null): HighlightTheme {
  const asset = toAsset(css, 'text/css; charset=utf-8');
  return { url: `${path}?v=${asset.hash}`, served: { path, asset }, warning };
}
