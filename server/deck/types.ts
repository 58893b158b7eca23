import type { PollDefinition } from '../../protocol/polls.ts';
import type { TopicDeclarations } from '../../protocol/topics.ts';

/** A loaded deck, ready to be served. */
export interface Deck {
  /** Front matter `title`, else the first heading, else the file name. */
  title: string;
  /**
   * A reveal.js theme name (see themes.ts); `black` unless the deck says otherwise. When the deck
   * brings its own theme CSS (`reveal.themeCss`) this is the default theme, served under it.
   */
  theme: string;
  /** The reveal `<section>` markup for inside `<div class="slides">`, with every speaker note removed. */
  html: string;
  /** Speaker notes as plain text keyed `${h}/${v}` (v = 0 for a plain slide). Slides without notes have no key. */
  notes: Record<string, string>;
  /** Per horizontal slide, how many vertical slides it has (1 for a plain slide), hidden slides removed as reveal.js removes them. */
  stacks: number[];
  /** Fragment steps per slide, `fragments[h][v]`, as reveal.js counts them (TalkInfo.fragments). */
  fragments: number[][];
  /** How the browsers set reveal.js up for this deck (options, plugins, extra CSS and scripts). */
  reveal: RevealSetup;
  /** CSP sources (`'sha256-…'`) of the deck's own inline scripts, which are trusted and allowed to run. */
  scriptHashes: string[];
  /** Absolute http(s) URLs the deck loads from other hosts (images, media, frames, styles, scripts, fonts), sorted, unique. */
  outsideUrls: string[];
  /** Absolute folder holding the deck; files beside it are served at `/deck/`. */
  dir: string;
  /** Absolute path of the deck file. */
  source: string;
  /** Polls written on the slides (server/deck/polls.ts), each with the slide it is on. */
  polls: PollDefinition[];
  /** Topics the deck declares for its scripts (front matter `livedeck.topics`, `data-livedeck-topics`). */
  topics: TopicDeclarations;
  /** Planned talk length in seconds (`--duration`, front matter `duration`, reveal.js's `totalTime`), null when none. */
  duration?: number | null;
}

/** A reveal.js plugin livedeck bundles (offline); notes are split on the server instead. */
export type RevealPluginName = 'highlight' | 'math' | 'zoom' | 'search';

/** The deck's reveal.js set-up, sent to every page as JSON (all values JSON-safe). */
export interface RevealSetup {
  /**
   * Options for `Reveal.initialize` from the deck (front matter `revealOptions`, reveal.json,
   * the literal options of an HTML deck's own `Reveal.initialize`). livedeck's own settings
   * (hash, history, …; client/deck.ts) still win.
   */
  options: Record<string, unknown>;
  /** Plugins the deck asks for or needs (code blocks → highlight, math → math). */
  plugins: RevealPluginName[];
  /**
   * The code colours; null when there is no code. A bare name is highlight.js's `styles/<name>.css`
   * (`monokai`, `base16/zenburn`), as reveal-md reads a Markdown deck's `highlightTheme`;
   * `reveal:monokai` / `reveal:zenburn` is reveal.js's own file, what an HTML deck linking
   * `plugin/highlight/monokai.css` gets (and an HTML deck's default); a URL under /deck/ is a CSS file beside the deck.
   */
  highlightTheme: string | null;
  /** URL under /deck/ of the theme when it is a CSS file beside the deck (reveal-md's `theme: themes/x.css`), else null. */
  themeCss: string | null;
  /** Extra style sheets (URLs under /deck/ or absolute), in order (`--css`, front matter `css`). */
  css: string[];
  /** Extra scripts (URLs under /deck/), in order, run after reveal.js is ready (`--scripts`, front matter `scripts`). */
  scripts: string[];
}
