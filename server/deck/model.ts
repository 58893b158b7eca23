import type { PollDefinition } from '../../protocol/polls.ts';
import { slideFragmentSteps } from './fragments.ts';
import { inlineScriptHashes } from './inline-scripts.ts';
import { readNotes, removeNotes } from './notes.ts';
import type { DeckPage } from './page.ts';
import { extractPolls } from './polls.ts';
import { horizontalSlides, listSlides, removeHiddenSlides, stackSizes } from './slides.ts';
import { oneLine } from './text.ts';
import type { RevealPluginName } from './types.ts';
import { outsideUrlsIn, rewriteDeckUrls } from './urls.ts';

/** What the server learns from the slides once reveal's markdown plugin has run. */
export interface SlideModel {
  /** The top-level sections, notes and poll blocks removed, relative URLs pointed at /deck/. */
  html: string;
  notes: Record<string, string>;
  stacks: number[];
  fragments: number[][];
  polls: PollDefinition[];
  plugins: RevealPluginName[];
  scriptHashes: string[];
  /** In document order, possibly repeated. */
  outsideUrls: string[];
  /** Text of the first heading on any slide, '' when there is none. */
  firstHeading: string;
  /** No slide shows anything: no text and no element but sections (a file of separators, or front matter only). */
  blank: boolean;
}

const MATH = /\$\$[\s\S]+?\$\$|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\]/;

/** Text outside code, scripts and styles: where math delimiters mean math. */
function proseText(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  for (const el of copy.querySelectorAll('pre, code, script, style, textarea')) el.remove();
  return copy.textContent ?? '';
}

function needsMath(page: DeckPage, slides: Element): boolean {
  if (page.plugins.includes('math')) return true;
  if (['math', 'katex', 'mathjax2', 'mathjax3', 'mathjax4'].some((k) => k in page.options)) return true;
  return MATH.test(proseText(slides));
}

/**
 * The pass every deck goes through, whatever it was written in, in reveal.js's order: hidden
 * slides go first (so counts and notes line up with the browser), then notes are read per
 * slide and taken out of the markup, polls become placeholders, and fragments are counted on
 * what remains, with the highlight plugin's code line steps when it runs.
 */
export function finishSlides(page: DeckPage, defaults: { zoom: boolean }): SlideModel {
  const { slides } = page;
  removeHiddenSlides(slides, page.options.showHiddenSlides === true);
  const positions = listSlides(slides);
  const notes = readNotes(positions);
  removeNotes(slides);
  const polls = extractPolls(positions);

  const plugins: RevealPluginName[] = [];
  if (page.plugins.includes('highlight') || slides.querySelector('pre code')) plugins.push('highlight');
  if (needsMath(page, slides)) plugins.push('math');
  if (defaults.zoom || page.plugins.includes('zoom')) plugins.push('zoom');
  if (page.plugins.includes('search')) plugins.push('search');

  const stacks = stackSizes(slides);
  const fragments = stacks.map(() => [] as number[]);
  for (const { el, h } of positions) fragments[h]?.push(slideFragmentSteps(el, { highlight: plugins.includes('highlight'), fragmentsDisabled: page.options.fragments === false }));

  rewriteDeckUrls(slides);
  const heading = slides.querySelector('h1, h2, h3, h4, h5, h6');
  return {
    html: horizontalSlides(slides).map((s) => s.outerHTML).join('\n'),
    notes,
    stacks,
    fragments,
    polls,
    plugins,
    scriptHashes: inlineScriptHashes(slides),
    outsideUrls: outsideUrlsIn(slides),
    firstHeading: oneLine(heading?.textContent ?? ''),
    blank: (slides.textContent ?? '').trim() === '' && !slides.querySelector(':not(section)'),
  };
}
