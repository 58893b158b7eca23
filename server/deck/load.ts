import { readFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { deckAssetUrl, isOutsideUrl, readDeckText } from './deck-files.ts';
import { DeckError } from './errors.ts';
import { splitFrontMatter } from './front-matter.ts';
import { readHtmlDeck } from './html-deck.ts';
import { readMarkdownDeck } from './markdown-deck.ts';
import { runMarkdown } from './markdown.ts';
import { finishSlides } from './model.ts';
import type { DeckPage } from './page.ts';
import { reason, resolveDeckFile } from './resolve.ts';
import { parseDuration } from './duration.ts';
import { mergeSettings, readConfigFiles, type CliAssets } from './settings.ts';
import { resolveHighlightTheme, resolveThemeOrFile } from './themes.ts';
import type { Deck } from './types.ts';
import { topicsFromAttribute, topicsFromFrontMatter } from './topics.ts';
import type { TopicDeclarations } from '../../protocol/topics.ts';

/** Extra style sheets and scripts for the deck (`--css`, `--scripts`), paths relative to the deck folder. */
export type LoadOptions = CliAssets;

/**
 * Loads a deck from a .md/.markdown or .html/.htm file, or from a folder holding one, into
 * the model reveal.js builds from it in a browser. Every mistake the author can fix is a
 * DeckError with a one-line message.
 */
export async function loadDeck(path: string, cli: LoadOptions = {}): Promise<Deck> {
  const { file, display, kind } = await resolveDeckFile(path);
  const dir = dirname(file);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DeckError(`Cannot read deck ${display}: ${reason(err)}`);
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new DeckError(`Deck is empty: ${display}`);

  const files = await readConfigFiles(dir);
  const { meta, body } = kind === 'markdown' ? splitFrontMatter(text, display) : { meta: {}, body: text };
  const settings = mergeSettings(meta, files, cli, display);

  let page: DeckPage | undefined;
  let model: ReturnType<typeof finishSlides>;
  let topics: TopicDeclarations;
  try {
    page = kind === 'markdown' ? readMarkdownDeck(body, settings) : readHtmlDeck(body);
    // An HTML deck's own Reveal.initialize options win over reveal.json beside it.
    page.options = { ...settings.options, ...page.options };
    const reading = page;
    await runMarkdown(reading, (name) => readDeckText(dir, name, `Markdown file in ${display}`));
    topics = { ...topicsFromAttribute(reading.window.document, display), ...topicsFromFrontMatter(meta, display) };
    model = finishSlides(reading, { zoom: kind === 'markdown' });
  } catch (err) {
    if (err instanceof DeckError) throw err;
    throw new DeckError(`Cannot parse deck ${display}: ${reason(err)}`);
  } finally {
    // jsdom windows hold timers and listeners; the model is plain data from here on.
    page?.window.close();
  }
  if (model.stacks.length === 0 || model.blank) {
    throw new DeckError(`Cannot parse deck ${display}: ${kind === 'markdown' ? 'no slides found' : 'no <section> slides found'}`);
  }

  const theme = await resolveThemeOrFile(settings.theme ?? page.theme, dir, display);
  const highlight = model.plugins.includes('highlight');
  const highlightTheme = highlight
    ? await resolveHighlightTheme(settings.highlightTheme ?? page.highlightTheme ?? (kind === 'markdown' ? 'base16/zenburn' : 'reveal:monokai'), dir, display)
    : null;
  const css = await Promise.all([...page.css, ...settings.css].map((c) => deckAssetUrl(dir, c, `Style sheet for ${display}`)));
  const scripts = await Promise.all(settings.scripts.map((s) => deckAssetUrl(dir, s, `Script for ${display}`)));
  const outside = [...model.outsideUrls, ...[theme.css, highlightTheme, ...css, ...scripts].filter((u): u is string => u !== null && isOutsideUrl(u))];

  return {
    title: (settings.title ?? page.title)?.trim() || model.firstHeading || basename(file, extname(file)),
    theme: theme.name,
    html: model.html,
    notes: model.notes,
    stacks: model.stacks,
    fragments: model.fragments,
    reveal: { options: jsonSafe(page.options), plugins: model.plugins, highlightTheme, themeCss: theme.css, css, scripts },
    scriptHashes: model.scriptHashes,
    outsideUrls: [...new Set(outside)].sort(),
    dir,
    source: file,
    polls: model.polls,
    topics,
    duration: deckDuration(cli.duration, meta.duration, page.options.totalTime, display),
  };
}

/** The talk length: the command line, else front matter `duration`, else reveal.js's own `totalTime` (seconds). */
function deckDuration(cli: number | undefined, frontMatter: unknown, totalTime: unknown, display: string): number | null {
  if (cli !== undefined) return cli;
  if (frontMatter !== undefined) {
    const seconds = parseDuration(frontMatter);
    if (seconds === null) throw new DeckError(`The front matter of ${display} has duration "${String(frontMatter)}"; write it as 20m, 1h30m or 90s.`);
    return seconds;
  }
  return typeof totalTime === 'number' && Number.isFinite(totalTime) && totalTime > 0 ? Math.round(totalTime) : null;
}

/** The options go to every page as JSON: only what survives a JSON round trip. */
function jsonSafe(options: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(options)) as Record<string, unknown>;
}
