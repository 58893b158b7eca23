import Reveal from 'reveal.js';
import type { RevealConfig } from 'reveal.js';
import { loadPlugins, revealConfig, type PageConfig, type RevealSetup } from './reveal-setup.ts';
import type { RevealDeck } from './deck-state.ts';

export { DeckDriver, MOVE_EVENTS, readState, sameState, slideLabel, type RevealDeck } from './deck-state.ts';

/**
 * A reveal.js deck set up as the deck asks (its options and plugins) within what the page
 * must keep (no hash routing, its own keyboard handling, …; see revealConfig).
 */
export async function createDeck(element: HTMLElement, page: PageConfig, setup: RevealSetup, only?: RevealSetup['plugins']): Promise<RevealDeck> {
  const plugins = await loadPlugins(only ?? setup.plugins);
  const config: RevealConfig = { ...revealConfig(setup.options, page), plugins };
  const deck = new Reveal(element, config);
  await deck.initialize();
  return deck;
}
