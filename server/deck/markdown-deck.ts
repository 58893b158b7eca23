import { Marked } from 'marked';
import { applyAttributeComments } from './attribute-comments.ts';
import { formatAttrs } from './attributes.ts';
import { splitFrontMatter } from './front-matter.ts';
import { splitSlides, type MarkdownSlide } from './split.ts';
import { tidyNotes } from './text.ts';
import type { DeckSource } from './types.ts';

// A private instance: options set here never leak into other users of `marked` in the process.
const marked = new Marked({ gfm: true });

/**
 * Reads a markdown deck (reveal-md / reveal.js markdown plugin conventions) into sections.
 * `Note:` text never enters the markup: it is handed over as plain text beside it.
 */
export function readMarkdownDeck(text: string): DeckSource {
  const { meta, body } = splitFrontMatter(text);
  const notes: Record<string, string> = {};
  const sections = splitSlides(body).map((stack, h) => {
    stack.forEach((slide, v) => {
      const text = tidyNotes(slide.notes);
      if (text !== '') notes[`${h}/${v}`] = text;
    });
    return stack.length === 1 ? renderSlide(stack[0]!) : `<section>\n${stack.map(renderSlide).join('\n')}\n</section>`;
  });
  const source: DeckSource = { sections: sections.join('\n'), notes };
  if (meta.title) source.title = meta.title;
  if (meta.theme) source.theme = meta.theme;
  return source;
}

function renderSlide(slide: MarkdownSlide): string {
  const rendered = marked.parse(slide.content, { async: false });
  const { html, sectionAttrs } = applyAttributeComments(rendered);
  return `<section${formatAttrs(sectionAttrs)}>\n${html}</section>`;
}
