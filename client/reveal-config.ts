/**
 * How a page's reveal.js config is made from the deck's own options. Pure (no DOM), so the
 * precedence rules are unit-tested.
 */
import type { RevealConfig } from 'reveal.js';
import type { RevealPluginName, RevealSetup } from '../server/deck/types.ts';

export type { RevealPluginName, RevealSetup };

/** What one page needs from reveal.js: defaults the deck may change, and settings it may not. */
export interface PageConfig {
  defaults: RevealConfig;
  forced: RevealConfig;
}

/** Where the server serves KaTeX (node_modules/katex); the math plugin appends `/dist/…`. */
export const KATEX_LOCAL = '/assets/katex';

/** livedeck's defaults, which a deck may override like any reveal.js default. */
const DEFAULTS: RevealConfig = {
  help: false,
  pause: true,
  transition: 'slide',
  preloadIframes: false,
};

/**
 * What no deck may change on any page: the server owns the position (no hash routing, no
 * history entries), every device must hold the same slide order (no shuffle), reveal.js 6's
 * scroll view would turn phones into one long page, and notes never show in the deck itself.
 */
const FORCED: RevealConfig = {
  hash: false,
  history: false,
  respondToHashChanges: false,
  fragmentInURL: false,
  scrollActivationWidth: 0,
  view: null,
  shuffle: false,
  showNotes: false,
};

/** Keys of a deck's options that cannot come from JSON or that livedeck supplies itself. */
const DROPPED = new Set(['plugins', 'dependencies', 'katex']);

/** The config for one page: livedeck defaults < page defaults < the deck's options < page rules < livedeck rules. */
export function revealConfig(deckOptions: Record<string, unknown>, page: PageConfig): RevealConfig {
  const fromDeck: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(deckOptions)) if (!DROPPED.has(key)) fromDeck[key] = value;
  const katex = isRecord(deckOptions.katex) ? deckOptions.katex : {};
  return {
    ...DEFAULTS,
    ...page.defaults,
    ...(fromDeck as RevealConfig),
    ...page.forced,
    ...FORCED,
    // KaTeX from our own server: a venue without internet still renders math, and phones leak nothing to a CDN.
    katex: { ...katex, local: KATEX_LOCAL },
  };
}

const PLUGIN_NAMES: readonly RevealPluginName[] = ['highlight', 'math', 'zoom', 'search'];
const EMPTY: RevealSetup = { options: {}, plugins: [], highlightTheme: null, themeCss: null, css: [], scripts: [] };

/**
 * The deck's set-up as the server wrote it into the page (`<script type="application/json">`).
 * The server is trusted, but a malformed field falls back to "none" rather than breaking the page.
 */
export function parseRevealSetup(text: string | null | undefined): RevealSetup {
  if (!text) return EMPTY;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    console.warn('livedeck: the deck set-up is not JSON; using reveal.js defaults');
    return EMPTY;
  }
  if (!isRecord(value)) return EMPTY;
  return {
    options: isRecord(value.options) ? value.options : {},
    plugins: Array.isArray(value.plugins) ? PLUGIN_NAMES.filter((p) => (value.plugins as unknown[]).includes(p)) : [],
    highlightTheme: typeof value.highlightTheme === 'string' ? value.highlightTheme : null,
    themeCss: typeof value.themeCss === 'string' ? value.themeCss : null,
    css: strings(value.css),
    scripts: strings(value.scripts),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
