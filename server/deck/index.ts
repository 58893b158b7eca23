/**
 * The deck loader: turns the author's markdown or HTML file into reveal.js sections,
 * speaker notes kept apart, and the facts the server needs (title, theme, stack sizes).
 */
export type { Deck } from './types.ts';
export { DeckError } from './errors.ts';
export { loadDeck } from './load.ts';
export { THEMES, DEFAULT_THEME } from './themes.ts';
export { DECK_URL_PREFIX } from './urls.ts';
