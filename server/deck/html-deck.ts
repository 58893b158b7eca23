import { parseDocument } from './dom.ts';
import { readInitializeCall } from './initialize-options.ts';
import type { DeckPage } from './page.ts';
import { THEMES } from './themes.ts';
import { oneLine } from './text.ts';

/**
 * Reads an HTML deck: a whole reveal.js page (its `.reveal .slides`), or failing that every
 * outermost <section> of the body, or just a run of <section>s. The page's own scripts do not
 * run and are not served (livedeck initialises reveal.js); the literal options of its
 * `Reveal.initialize` call are kept.
 */
export function readHtmlDeck(text: string): DeckPage {
  const window = parseDocument(text);
  const { document } = window;
  let slides = document.querySelector('.reveal .slides') ?? document.querySelector('div.slides');
  let reveal = slides?.closest('.reveal') ?? null;
  if (!slides) {
    const sections = [...document.body.querySelectorAll('section')].filter((s) => !s.parentElement?.closest('section'));
    reveal = document.createElement('div');
    reveal.className = 'reveal';
    slides = document.createElement('div');
    slides.className = 'slides';
    slides.append(...sections);
    reveal.append(slides);
    document.body.append(reveal);
  }
  const page: DeckPage = {
    window,
    reveal: reveal ?? slides,
    slides,
    css: [],
    options: {},
    plugins: [],
  };

  // A <title> inside an SVG or a slide is a caption, not the talk's name.
  const title = [...document.querySelectorAll('title')].find((t) => !t.closest('svg') && !t.closest('section'));
  const titleText = oneLine(title?.textContent ?? '');
  if (titleText) page.title = titleText;

  for (const link of document.querySelectorAll('link[rel~="stylesheet" i][href]')) {
    if (link.closest('.slides')) continue;
    const href = link.getAttribute('href') ?? '';
    const theme = /(?:^|\/)theme\/([\w-]+)\.css(?:[?#]|$)/.exec(href)?.[1]?.toLowerCase();
    const highlight = /(?:^|\/)plugin\/highlight\/([\w-]+)\.css(?:[?#]|$)/.exec(href)?.[1];
    if (theme && THEMES.includes(theme)) page.theme ??= theme;
    // reveal.js's own monokai/zenburn, not highlight.js's files of the same names (which a bare name means).
    else if (highlight) page.highlightTheme ??= /^(?:monokai|zenburn)$/i.test(highlight) ? `reveal:${highlight.toLowerCase()}` : highlight;
    // reveal.js's own base styles: livedeck serves them itself.
    else if (!/(?:^|\/)(?:reset|reveal)\.css(?:[?#]|$)/.test(href)) page.css.push(href);
  }

  const scripts = [...document.querySelectorAll('script:not([src])')].filter((s) => !s.closest('.slides')).map((s) => s.textContent ?? '');
  const call = readInitializeCall(scripts);
  if (call) {
    page.options = call.options;
    page.plugins = call.plugins;
  }
  return page;
}
