import { readFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { DeckError } from './errors.ts';
import { finishSlides } from './finish.ts';
import { readHtmlDeck } from './html-deck.ts';
import { readMarkdownDeck } from './markdown-deck.ts';
import { extractPolls } from './polls.ts';
import { reason, resolveDeckFile } from './resolve.ts';
import { resolveTheme } from './themes.ts';
import type { Deck, DeckSource } from './types.ts';

/**
 * Loads a deck from a .md/.markdown or .html/.htm file, or from a folder holding one.
 * Every mistake the author can fix is a DeckError with a one-line message.
 */
export async function loadDeck(path: string): Promise<Deck> {
  const { file, display, kind } = await resolveDeckFile(path);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DeckError(`Cannot read deck ${display}: ${reason(err)}`);
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new DeckError(`Deck is empty: ${display}`);

  let source: DeckSource;
  let finished: ReturnType<typeof finishSlides>;
  let polls: ReturnType<typeof extractPolls>;
  try {
    source = kind === 'markdown' ? readMarkdownDeck(text) : readHtmlDeck(text);
    finished = finishSlides(source.sections, source.notes);
    polls = extractPolls(finished.html);
  } catch (err) {
    if (err instanceof DeckError) throw err;
    throw new DeckError(`Cannot parse deck ${display}: ${reason(err)}`);
  }
  if (finished.stacks.length === 0) {
    throw new DeckError(`Cannot parse deck ${display}: ${kind === 'markdown' ? 'no slides found' : 'no <section> slides found'}`);
  }

  return {
    title: source.title?.trim() || finished.firstHeading || basename(file, extname(file)),
    theme: resolveTheme(source.theme, display),
    html: polls.html,
    notes: finished.notes,
    stacks: finished.stacks,
    // Interim until the deck model counts fragments and reads the deck's reveal set-up (branch model).
    fragments: finished.stacks.map((n) => Array.from({ length: n }, () => Number.MAX_SAFE_INTEGER)),
    reveal: { options: {}, plugins: [], highlightTheme: null, themeCss: null, css: [], scripts: [] },
    scriptHashes: [],
    outsideUrls: [],
    dir: dirname(file),
    source: file,
    polls: polls.polls,
  };
}
