import type { DOMWindow } from 'jsdom';
import type { RevealPluginName } from './types.ts';

/** A deck read into the server's DOM, before reveal's markdown plugin and livedeck's finishing pass. */
export interface DeckPage {
  window: DOMWindow;
  /** What reveal's plugins get from getRevealElement(): `.reveal`, holding `.slides`. */
  reveal: Element;
  /** `.slides`: its `section` children are the horizontal slides. */
  slides: Element;
  /** The page's own <title>, if any. */
  title?: string;
  /** A reveal.js theme the page links (`dist/theme/white.css`), if any. */
  theme?: string;
  /** The highlight style the page links, if any: `reveal:monokai` for reveal.js's `plugin/highlight/monokai.css`. */
  highlightTheme?: string;
  /** The page's other style sheets, as written. */
  css: string[];
  /** The literal options of the page's own `Reveal.initialize`. */
  options: Record<string, unknown>;
  /** Plugins the page's own `Reveal.initialize` lists. */
  plugins: RevealPluginName[];
}
