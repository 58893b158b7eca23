import { deckAssetUrl, isOutsideUrl } from './deck-files.ts';
import { DeckError } from './errors.ts';

/** The themes shipped in reveal.js/dist/theme (checked against node_modules by a test). */
export const THEMES: readonly string[] = [
  'black',
  'white',
  'league',
  'beige',
  'night',
  'serif',
  'simple',
  'solarized',
  'moon',
  'dracula',
  'sky',
  'blood',
  'black-contrast',
  'white-contrast',
];

export const DEFAULT_THEME = 'black';

/** A theme as the deck asked for it: one of reveal's by name, or a style sheet of its own. */
export interface ResolvedTheme {
  /** The reveal.js theme the server serves (the default when the deck brings its own CSS). */
  name: string;
  /** URL of the deck's own theme CSS (under /deck/, or absolute), else null. */
  css: string | null;
}

const themeName = (declared: string): string => declared.trim().toLowerCase().replace(/\.css$/, '');

/**
 * Validates a theme name as written by the author. Case and a trailing `.css` are forgiven
 * (`theme: Black.css` is `black`); anything else unknown is a DeckError naming the choices.
 */
export function resolveTheme(declared: string | undefined, display: string): string {
  if (declared === undefined || declared.trim() === '') return DEFAULT_THEME;
  const name = themeName(declared);
  if (THEMES.includes(name)) return name;
  throw new DeckError(`Unknown theme "${declared.trim()}" in ${display}: use one of ${THEMES.join(', ')}`);
}

/**
 * A theme by reveal.js name, or, as reveal-md allows, a CSS file beside the deck
 * (`theme: themes/rusty.css`) or an absolute URL. A name that is neither is a DeckError.
 */
export async function resolveThemeOrFile(declared: string | undefined, dir: string, display: string): Promise<ResolvedTheme> {
  if (declared === undefined || declared.trim() === '' || THEMES.includes(themeName(declared))) {
    return { name: resolveTheme(declared, display), css: null };
  }
  const value = declared.trim();
  if (isOutsideUrl(value) || /[/\\]|\.css$/i.test(value)) return { name: DEFAULT_THEME, css: await deckAssetUrl(dir, value, `Theme file in ${display}`) };
  throw new DeckError(`Unknown theme "${value}" in ${display}: use one of ${THEMES.join(', ')}, or a CSS file beside the deck (theme: themes/mine.css)`);
}

/** highlight.js style names as reveal-md and highlight.js write them: `monokai`, `base16/zenburn`. */
const HIGHLIGHT_STYLE = /^[a-z0-9][a-z0-9_.-]*(?:\/[a-z0-9][a-z0-9_.-]*)?$/i;

/** reveal.js's own highlight styles, beside its highlight plugin: `reveal:monokai` names reveal.js's file, `monokai` highlight.js's. */
const REVEAL_HIGHLIGHT = /^reveal:(?:monokai|zenburn)$/;

/**
 * A highlight.js style name (reveal-md's meaning of a name), `reveal:monokai` or `reveal:zenburn`
 * for reveal.js's own files, or a CSS file beside the deck (or an absolute URL) for its URL.
 */
export async function resolveHighlightTheme(declared: string, dir: string, display: string): Promise<string> {
  const value = declared.trim();
  if (REVEAL_HIGHLIGHT.test(value)) return value;
  if (isOutsideUrl(value) || /\.css$/i.test(value)) return deckAssetUrl(dir, value, `Highlight theme file in ${display}`);
  if (HIGHLIGHT_STYLE.test(value)) return value;
  throw new DeckError(
    `highlightTheme "${value}" in ${display} is neither a highlight.js style name (monokai, base16/zenburn), reveal.js's own (reveal:monokai, reveal:zenburn), nor a CSS file beside the deck`,
  );
}
