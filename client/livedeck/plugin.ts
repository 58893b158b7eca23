/**
 * `livedeck.js`, served by livedeck for reveal.js decks hosted anywhere else, added the way
 * reveal.js's multiplex plugin is:
 *
 *   <script src="https://livedeck-host:8080/livedeck.js"></script>
 *   Reveal.initialize({ livedeck: { talk: 'K7P4QX' }, plugins: [LiveDeck] });
 *
 * Opened with the presenter key in the page's fragment (`#key=…`) the deck drives the talk
 * (absolute goto, as the console sends); without it, it follows.
 */
import { createLiveDeck } from './livedeck.ts';

// The server defaults to the one this script came from; currentScript is only set while it runs.
const src = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : null;
(window as unknown as { LiveDeck: unknown }).LiveDeck = createLiveDeck(src);
