import { markdownPluginIn } from './dom.ts';
import type { DeckPage } from './page.ts';

/** Reads an external markdown file named by `data-markdown="…"` (relative to the deck). */
export type ReadExternal = (path: string) => Promise<string>;

/** The section attributes slidify copies onto the slides it makes: the plugin's own rule (its getForwardedAttributes). */
function forwardedAttributes(section: Element): string {
  return [...section.attributes]
    .filter((a) => !/data-(markdown|separator|vertical|notes)/i.test(a.name))
    .map((a) => (a.value ? `${a.name}="${a.value}"` : a.name))
    .join(' ');
}

/**
 * Runs reveal.js's own markdown plugin over the page, as the browser would: inline
 * `section[data-markdown]` (a `<textarea data-template>` or `<script type="text/template">`)
 * and external ones (`data-markdown="slides.md"`) become slides by its separators, its
 * `.element`/`.slide` attribute comments and its notes separator. The plugin fetches external
 * files with XMLHttpRequest; here they are read from the deck folder instead and handed to the
 * plugin's own slidify with the section's separators, exactly as its processSlides does.
 */
export async function runMarkdown(page: DeckPage, readExternal: ReadExternal): Promise<void> {
  const { document } = page.window;
  const sections = [...page.reveal.querySelectorAll('section[data-markdown]:not([data-markdown-parsed])')];
  if (sections.length === 0 && !page.reveal.querySelector('[data-markdown]')) return;

  // Out of the plugin's way while it does the inline ones, so it never reaches for XMLHttpRequest.
  const external = sections
    .filter((s) => (s.getAttribute('data-markdown') ?? '').length > 0)
    .map((section) => {
      const stand = document.createElement('template');
      section.replaceWith(stand);
      return { section, stand };
    });
  const texts = await Promise.all(external.map(({ section }) => readExternal(section.getAttribute('data-markdown') ?? '')));

  const plugin = markdownPluginIn(page.window);
  await plugin.init({ getConfig: () => page.options, getRevealElement: () => page.reveal });
  external.forEach(({ section, stand }, i) => {
    stand.outerHTML = plugin.slidify(texts[i] ?? '', {
      separator: section.getAttribute('data-separator'),
      verticalSeparator: section.getAttribute('data-separator-vertical'),
      notesSeparator: section.getAttribute('data-separator-notes'),
      attributes: forwardedAttributes(section),
    });
  });
  if (external.length > 0) await plugin.convertSlides();
}
