import type { PollDefinition } from '../../protocol/polls.ts';

/** A loaded deck, ready to be served. */
export interface Deck {
  /** Front matter `title`, else the first heading, else the file name. */
  title: string;
  /** A reveal.js theme name (see themes.ts); `black` unless the deck says otherwise. */
  theme: string;
  /** The reveal `<section>` markup for inside `<div class="slides">`, with every speaker note removed. */
  html: string;
  /** Speaker notes as plain text keyed `${h}/${v}` (v = 0 for a plain slide). Slides without notes have no key. */
  notes: Record<string, string>;
  /** Per horizontal slide, how many vertical slides it has (1 for a plain slide). */
  stacks: number[];
  /** Absolute folder holding the deck; files beside it are served at `/deck/`. */
  dir: string;
  /** Absolute path of the deck file. */
  source: string;
  /** Polls written on the slides (server/deck/polls.ts), each with the slide it is on. */
  polls: PollDefinition[];
}

/** What the markdown and HTML readers produce before the shared finishing pass. */
export interface DeckSource {
  /** Title declared by the deck itself (front matter or `<title>`), if any. */
  title?: string;
  /** Theme declared by the deck itself, not yet validated. */
  theme?: string;
  /** Top-level `<section>` elements; notes may still be inside (aside.notes / data-notes). */
  sections: string;
  /** Notes the reader already took out of the markup, keyed `${h}/${v}`. */
  notes?: Record<string, string>;
}
