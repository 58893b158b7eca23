import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { JSDOM, type DOMWindow } from 'jsdom';

/**
 * The deck's DOM on the server: jsdom, whose parse5 parser follows the HTML standard, so the
 * server sees the tree a browser builds. Scripts in the markup never run ('outside-only'):
 * only code we evaluate on purpose (reveal.js's own markdown plugin) runs in the window.
 */
export function parseDocument(html: string): DOMWindow {
  return new JSDOM(html, { runScripts: 'outside-only' }).window;
}

const require = createRequire(import.meta.url);
let markdownPluginSource: string | null = null;

/** The plugin reveal.js ships, as a browser script (its UMD build), read once. */
function markdownPluginScript(): string {
  markdownPluginSource ??= readFileSync(require.resolve('reveal.js/plugin/markdown'), 'utf8');
  return markdownPluginSource;
}

/** The parts of reveal.js's markdown plugin livedeck calls (dist/plugin/markdown.d.ts). */
export interface MarkdownPlugin {
  init(reveal: { getConfig(): Record<string, unknown>; getRevealElement(): Element }): PromiseLike<unknown>;
  slidify(markdown: string, options: { separator: string | null; verticalSeparator: string | null; notesSeparator: string | null; attributes: string }): string;
  convertSlides(): PromiseLike<unknown>;
}

/**
 * A fresh instance of reveal.js's markdown plugin living in `window`, as in a browser: it
 * needs the window's `Node` and DOM, which Node.js does not have as globals.
 */
export function markdownPluginIn(window: DOMWindow): MarkdownPlugin {
  const w = window as DOMWindow & { RevealMarkdown?: () => MarkdownPlugin };
  if (!w.RevealMarkdown) w.eval(markdownPluginScript());
  if (!w.RevealMarkdown) throw new Error('reveal.js markdown plugin did not load');
  return w.RevealMarkdown();
}
