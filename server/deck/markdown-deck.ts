import { parseDocument } from './dom.ts';
import type { DeckPage } from './page.ts';
import type { DeckSettings } from './settings.ts';

/** reveal-md's defaults (lib/defaults.json); the notes separator is left to reveal's markdown plugin. */
export const REVEAL_MD_SEPARATOR = '\r?\n---\r?\n';
export const REVEAL_MD_VERTICAL_SEPARATOR = '\r?\n----\r?\n';

/** reveal-md writes the separators into an attribute with line breaks escaped (lib/render.js). */
function attribute(name: string, value: string): string {
  const escaped = value.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `${name}="${escaped}"`;
}

/**
 * The page reveal-md makes of a markdown deck (lib/template/reveal.html): the markdown, front
 * matter removed, in a `<textarea data-template>` inside one `section[data-markdown]` carrying
 * the deck's separators. reveal's own markdown plugin then turns it into slides, as in reveal-md.
 */
export function readMarkdownDeck(body: string, settings: DeckSettings): DeckPage {
  const attributes = [
    attribute('data-separator', settings.separator ?? REVEAL_MD_SEPARATOR),
    attribute('data-separator-vertical', settings.verticalSeparator ?? REVEAL_MD_VERTICAL_SEPARATOR),
    ...(settings.notesSeparator === undefined ? [] : [attribute('data-separator-notes', settings.notesSeparator)]),
  ].join(' ');
  const html = `<!doctype html><html><head></head><body><div class="reveal"><div class="slides">
        <section data-markdown ${attributes}>
          <textarea data-template>
            ${body}
          </textarea>
        </section>
      </div></div></body></html>`;
  const window = parseDocument(html);
  const reveal = window.document.querySelector('.reveal');
  const slides = window.document.querySelector('.slides');
  if (!reveal || !slides) throw new Error('reveal-md page shell did not parse');
  return { window, reveal, slides, css: [], options: {}, plugins: [] };
}
