import Reveal from 'reveal.js';
import type { RevealConfig } from 'reveal.js';
import { loadPlugins, revealConfig, type PageConfig, type RevealSetup } from './reveal-setup.ts';
import type { RevealDeck } from './deck-state.ts';


/**
 * A reveal.js deck set up as the deck asks (its options and plugins) within what the page
 * must keep (no hash routing, its own keyboard handling, …; see revealConfig).
 */
export async function createDeck(element: HTMLElement, page: PageConfig, setup: RevealSetup, only?: RevealSetup['plugins']): Promise<RevealDeck> {
  const plugins = await loadPlugins(only ?? setup.plugins);
  const config: RevealConfig = { ...revealConfig(setup.options, page), plugins };
  const deck = new Reveal(element, config);
  await deck.initialize();
  relayoutWhenSettled(deck);
  return deck;
}

/**
 * reveal.js centres a slide vertically from its measured height once, when it initializes, and
 * again only on a resize. Web fonts, images and style sheets that arrive after that change the
 * height (slide 1 of reveal.js's demo sat 32 px too high), so lay out again when they have:
 * fonts ready, the window loaded, and any font loaded later (the phone's lazily linked theme fonts).
 */
function relayoutWhenSettled(deck: Pick<RevealDeck, 'layout'>): void {
  const layout = () => deck.layout();
  void document.fonts.ready.then(layout);
  if (document.readyState !== 'complete') window.addEventListener('load', layout, { once: true });
  document.fonts.addEventListener('loadingdone', layout);
}
