import type { SlideAt } from './slides.ts';
import { htmlToText, tidyNotes } from './text.ts';

/** Notes as plain text: list items keep a bullet, so a list in the notes still reads as one. */
function notesText(html: string): string {
  return tidyNotes(htmlToText(html.replace(/<li\b[^>]*>/gi, '• ')));
}

/**
 * The speaker notes of each slide, as reveal.js's getSlideNotes reads them: the slide's
 * `data-notes`, else every `aside.notes` inside it. Keyed `${h}/${v}`; slides without notes
 * have no key.
 */
export function readNotes(slides: readonly SlideAt[]): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const { el, h, v } of slides) {
    const html = el.hasAttribute('data-notes')
      ? (el.getAttribute('data-notes') ?? '')
      : [...el.querySelectorAll('aside.notes')].map((aside) => aside.innerHTML).join('\n');
    const text = notesText(html);
    if (text !== '') notes[`${h}/${v}`] = text;
  }
  return notes;
}

/** Takes every note out of the markup, wherever it is: notes must never reach the audience. */
export function removeNotes(root: Element): void {
  for (const aside of root.querySelectorAll('aside.notes')) aside.remove();
  for (const el of root.querySelectorAll('[data-notes]')) el.removeAttribute('data-notes');
  if (root.hasAttribute('data-notes')) root.removeAttribute('data-notes');
}
