/** Slide titles for the report: what a person would call each slide. */
import { parseDocument } from './dom.ts';
import { listSlides } from './slides.ts';
import { oneLine } from './text.ts';

const LONGEST = 80;

/**
 * Per slide key (`h/v`), the slide's first heading, else the start of its text; slides with
 * neither (a picture, a background) are absent. `html` is the deck's served markup, hidden
 * slides already removed, so the keys are the positions reveal.js and the log use.
 */
export function slideTitles(html: string): Record<string, string> {
  const window = parseDocument(`<!doctype html><div class="slides">${html}</div>`);
  try {
    const root = window.document.querySelector('.slides');
    const titles: Record<string, string> = {};
    if (!root) return titles;
    for (const { el, h, v } of listSlides(root)) {
      for (const aside of el.querySelectorAll('aside.notes, script, style')) aside.remove();
      const heading = el.querySelector('h1, h2, h3, h4, h5, h6');
      const text = oneLine(heading?.textContent ?? el.textContent ?? '');
      if (text) titles[`${h}/${v}`] = text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text;
    }
    return titles;
  } finally {
    window.close();
  }
}
