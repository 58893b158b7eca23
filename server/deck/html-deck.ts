import { attr, childElements, descendants, hasClass, inner, isInside, outer, parseHtml, type ElementNode } from './html-tree.ts';
import { THEMES } from './themes.ts';
import { htmlToText, oneLine } from './text.ts';
import type { DeckSource } from './types.ts';

/**
 * Reads an HTML deck: a whole reveal.js page (the children of `<div class="slides">`, or
 * failing that every outermost <section> of the body) or just a run of <section>s.
 */
export function readHtmlDeck(text: string): DeckSource {
  const root = parseHtml(text);
  const container = descendants(root, (el) => el.name === 'div' && hasClass(el, 'slides'))[0];
  const sections = container
    ? childElements(container, 'section')
    : descendants(bodyOf(root), (el) => el.name === 'section', (el) => el.name !== 'section');

  const source: DeckSource = { sections: sections.map((s) => outer(text, s)).join('\n') };
  const title = documentTitle(text, root);
  if (title) source.title = title;
  const theme = linkedTheme(root);
  if (theme) source.theme = theme;
  return source;
}

function bodyOf(root: ElementNode): ElementNode {
  return descendants(root, (el) => el.name === 'body')[0] ?? root;
}

/** The page's <title>; one inside an SVG or a slide is a caption, not the talk's name. */
function documentTitle(text: string, root: ElementNode): string {
  const title = descendants(root, (el) => el.name === 'title' && !isInside(el, 'svg') && !isInside(el, 'section'))[0];
  return title ? oneLine(htmlToText(inner(text, title))) : '';
}

/** A page made for reveal.js links its theme, e.g. `dist/theme/white.css`; a known name is taken as the deck's theme. */
function linkedTheme(root: ElementNode): string | undefined {
  for (const link of descendants(root, (el) => el.name === 'link')) {
    const href = attr(link, 'href')?.value ?? '';
    const name = /(?:^|\/)theme\/([\w-]+)\.css(?:[?#]|$)/.exec(href)?.[1]?.toLowerCase();
    if (name && THEMES.includes(name)) return name;
  }
  return undefined;
}
