/**
 * The deck's reveal.js set-up in the browser: read from the page shell, plugins loaded on
 * demand, the deck's extra scripts run once reveal.js is ready.
 */
import type { RevealPlugin } from 'reveal.js';
import { parseRevealSetup, type RevealPluginName, type RevealSetup } from './reveal-config.ts';

export { revealConfig, type PageConfig, type RevealSetup } from './reveal-config.ts';

/** The set-up the server wrote into this page (none on a page without a deck). */
export function pageRevealSetup(): RevealSetup {
  return parseRevealSetup(document.getElementById('ld-reveal')?.textContent);
}

/**
 * Each plugin is a dynamic import, so it is a chunk of its own that only decks asking for it
 * download (highlight.js is 1 MB; a phone on a deck without code never fetches it). Every call
 * makes fresh plugin objects where reveal.js offers a factory, one per deck on the page.
 */
const LOADERS: Record<RevealPluginName, () => Promise<RevealPlugin>> = {
  highlight: async () => (await import('reveal.js/plugin/highlight')).default(),
  math: async () => (await import('reveal.js/plugin/math')).default.KaTeX(),
  zoom: async () => (await import('reveal.js/plugin/zoom')).default(),
  search: async () => (await import('reveal.js/plugin/search')).default(),
};

export function loadPlugins(names: readonly RevealPluginName[]): Promise<RevealPlugin[]> {
  return Promise.all(names.map((name) => LOADERS[name]()));
}

/**
 * The deck's own scripts (`--scripts`, front matter `scripts`), trusted like the deck itself,
 * run in order after reveal.js is ready, as reveal-md runs them. They find the deck as
 * `window.Reveal`, which is what such scripts are written against.
 */
export async function runDeckScripts(setup: RevealSetup, deck: unknown): Promise<void> {
  if (setup.scripts.length === 0) return;
  (window as unknown as { Reveal: unknown }).Reveal = deck;
  for (const src of setup.scripts) {
    await new Promise<void>((resolve) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = () => resolve();
      script.onerror = () => {
        console.warn(`livedeck: the deck script ${src} did not load`);
        resolve();
      };
      document.head.append(script);
    });
  }
}
