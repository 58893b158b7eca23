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

/**
 * Validates a theme name as written by the author. Case and a trailing `.css` are forgiven
 * (`theme: Black.css` is `black`); anything else unknown is a DeckError naming the choices.
 */
export function resolveTheme(declared: string | undefined, display: string): string {
  if (declared === undefined || declared.trim() === '') return DEFAULT_THEME;
  const name = declared.trim().toLowerCase().replace(/\.css$/, '');
  if (THEMES.includes(name)) return name;
  throw new DeckError(`Unknown theme "${declared.trim()}" in ${display}: use one of ${THEMES.join(', ')}`);
}
