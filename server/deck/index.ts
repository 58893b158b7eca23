/**
 * The deck loader: turns the author's markdown or HTML file into the deck reveal.js builds from
 * it (reveal's own markdown plugin and rules, run on the server), speaker notes kept apart, and
 * the facts the server enforces (stacks, fragment steps per slide) and the pages need.
 */
export type { Deck, RevealSetup, RevealPluginName } from './types.ts';
export { DeckError } from './errors.ts';
export { loadDeck, type LoadOptions } from './load.ts';
export { THEMES, DEFAULT_THEME } from './themes.ts';
export { DECK_URL_PREFIX } from './urls.ts';
