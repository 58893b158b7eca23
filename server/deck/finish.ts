import { applyEdits, type Edit } from './edits.ts';
import { attr, childElements, descendants, hasClass, inner, parseHtml, type ElementNode } from './html-tree.ts';
import { decodeEntities, htmlToText, oneLine, tidyNotes } from './text.ts';
import { urlEdits } from './urls.ts';

export interface FinishedSlides {
  /** The sections with every note removed and relative URLs pointed at the deck folder. */
  html: string;
  notes: Record<string, string>;
  stacks: number[];
  /** Text of the first heading on any slide, '' when there is none. */
  firstHeading: string;
}

const isNotes = (el: ElementNode): boolean => el.name === 'aside' && hasClass(el, 'notes');

/**
 * The pass every deck goes through, whatever it was written in. Takes top-level <section>s
 * (a section holding sections is a vertical stack), reads the speaker notes reveal.js would
 * show (`data-notes` on a slide, `<aside class="notes">` inside it), then removes every note
 * anywhere in the markup: notes must never reach the audience.
 */
export function finishSlides(sectionsHtml: string, knownNotes: Record<string, string> = {}): FinishedSlides {
  const root = parseHtml(sectionsHtml);
  const stacks: number[] = [];
  const notes: Record<string, string> = {};

  childElements(root, 'section').forEach((top, h) => {
    const children = childElements(top, 'section');
    const slides = children.length > 0 ? children : [top];
    stacks.push(slides.length);
    slides.forEach((slide, v) => {
      // Notes on a stack itself (outside its vertical slides) belong to its first slide.
      const parts = [
        ...(v === 0 && slide !== top ? slideNotes(sectionsHtml, top) : []),
        ...slideNotes(sectionsHtml, slide),
        knownNotes[`${h}/${v}`] ?? '',
      ];
      const text = tidyNotes(parts.filter((p) => p !== '').join('\n\n'));
      if (text !== '') notes[`${h}/${v}`] = text;
    });
  });

  const edits: Edit[] = [];
  const walk = (el: ElementNode): void => {
    for (const child of childElements(el)) {
      if (isNotes(child)) {
        edits.push({ start: child.start, end: child.end, text: '' });
        continue;
      }
      const dataNotes = attr(child, 'data-notes');
      if (dataNotes) edits.push({ start: spaceBefore(sectionsHtml, dataNotes.start), end: dataNotes.end, text: '' });
      edits.push(...urlEdits(child));
      walk(child);
    }
  };
  walk(root);

  const heading = descendants(root, (el) => /^h[1-6]$/.test(el.name), (el) => !isNotes(el))[0];
  return {
    html: stripStrayNotes(applyEdits(sectionsHtml, edits)),
    notes,
    stacks,
    firstHeading: heading ? oneLine(htmlToText(inner(sectionsHtml, heading))) : '',
  };
}

/** The notes written directly on one section: its data-notes, then its asides not inside a nested section. */
function slideNotes(src: string, section: ElementNode): string[] {
  const parts: string[] = [];
  const data = attr(section, 'data-notes')?.value;
  if (data) parts.push(decodeEntities(data));
  for (const aside of descendants(section, isNotes, (el) => el.name !== 'section' && !isNotes(el))) {
    parts.push(htmlToText(inner(src, aside)));
  }
  return parts.map(tidyNotes).filter((p) => p !== '');
}

function spaceBefore(src: string, at: number): number {
  let i = at;
  while (i > 0 && /\s/.test(src[i - 1] ?? '')) i--;
  return i;
}

/**
 * Belt and braces: a note the tree did not see as an element (say, swallowed by an unclosed
 * <script> or <textarea> before it) is still cut out of the markup by pattern.
 */
function stripStrayNotes(html: string): string {
  return html
    .replace(/<aside\b[^>]*\bclass\s*=\s*(?:"[^"]*\bnotes\b[^"]*"|'[^']*\bnotes\b[^']*'|notes\b)[^>]*>[\s\S]*?(?:<\/aside\s*>|$)/gi, '')
    .replace(/<[a-z][^>]*\sdata-notes\b[^>]*>/gi, (tag) => tag.replace(/\sdata-notes(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/gi, ''));
}
