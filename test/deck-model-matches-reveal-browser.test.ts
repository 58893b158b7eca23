/**
 * In Chromium: the deck model the server enforces (columns, rows, fragment steps per slide)
 * is what plain reveal.js builds from the same deck. reveal.js's own demo.html is opened as
 * shipped; each markdown deck is opened the way reveal-md renders it (its template: the
 * markdown in a `section[data-markdown]` with reveal-md's separators, reveal's markdown and
 * highlight plugins). Fragment steps are counted by stepping with reveal's own navigation
 * (Reveal.nextFragment), not by reading the DOM.
 *
 * One deliberate difference from reveal-md: the highlight plugin runs at load (reveal.js's
 * default, what livedeck's pages do) where reveal-md highlights on `ready`. The order matters
 * only for a code block with line steps and its own data-fragment-index sharing indices with
 * other fragments: reveal renumbers the fragments on start, so clones added after that
 * (reveal-md) no longer share steps with them (separators.md, slide 2.2: 3 steps in reveal-md,
 * 2 in reveal.js by default).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadDeck } from '../server/deck/index.ts';
import { splitFrontMatter } from '../server/deck/front-matter.ts';
import { launchBrowser, laptopContext } from './support/browser.ts';

const REVEAL_DIR = dirname(dirname(createRequire(import.meta.url).resolve('reveal.js')));

/** Decks written for this test: fragments, code line steps, hidden slides, notes, stacks. */
const MARKDOWN_DECKS: Record<string, string> = {
  'steps.md': `---
title: Steps
---

# Opening

Note: opening notes

---

## Bullets

- one <!-- .element: class="fragment" -->
- two <!-- .element: class="fragment" -->
- text *em* <!-- .element: class="fragment" -->

Note: bullets notes

---

<!-- .slide: data-visibility="hidden" -->
## Hidden

Note: never shown

---

## Code

\`\`\`js [1-2|3|4]
const a = 1;
const b = 2;
const c = a + b;
console.log(c);
\`\`\`

----

## Below

<p class="fragment" data-fragment-index="2">two</p>
<p class="fragment" data-fragment-index="5">five</p>
<p class="fragment" data-fragment-index="5">five again</p>
<p class="fragment">loose</p>

----

<!-- .slide: data-visibility="hidden" -->
## Hidden in a stack

---

<!-- .slide: data-visibility="uncounted" -->
## The end
`,
  'lists.md': `---
revealOptions:
  markdown:
    animateLists: true
---

# Lists

- a
- b
- c

---

<!-- .slide: data-visibility="hidden" -->
# Gone

----

<!-- .slide: data-visibility="hidden" -->
# Gone too

---

## Mixed

1. first
2. second

<span class="fragment disabled">never a step</span>

\`\`\`python [1|2]
x = 1
print(x)
\`\`\`
`,
  'separators.md': `---
separator: "^\\\\+\\\\+\\\\+$"
verticalSeparator: "^vvv$"
notesSeparator: "^Speaker:"
---

# Own separators

Speaker: notes here
+++
## Two

---

Still two (a rule, not a separator)
vvv
## Two B

<pre><code data-line-numbers="1|2|3" data-fragment-index="1">a
b
c</code></pre>

<div class="fragment" data-fragment-index="1">shares step 1</div>
`,
};

interface RevealModel {
  stacks: number[];
  fragments: number[][];
  /** The text of each slide's notes as reveal.js's getSlideNotes gives them, keyed h/v, whitespace collapsed. */
  notes: Record<string, string>;
}

/** The deck's notes with whitespace collapsed and list bullets dropped, to compare with reveal's text. */
function plainNotes(notes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(notes).map(([k, v]) => [k, v.replace(/• /g, '').replace(/\s+/g, ' ').trim()]));
}

/** reveal-md's page for a markdown deck (lib/template/reveal.html, reduced to what builds the slides). */
function revealMdPage(markdown: string): string {
  const { meta, body } = splitFrontMatter(markdown);
  const separator = String(meta.separator ?? '\r?\n---\r?\n').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const vertical = String(meta.verticalSeparator ?? '\r?\n----\r?\n').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const notes = meta.notesSeparator === undefined ? '' : ` data-separator-notes="${String(meta.notesSeparator)}"`;
  const options = { ...((meta.revealOptions as object | undefined) ?? {}) };
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/reveal/dist/reveal.css"></head><body>
<div class="reveal"><div class="slides">
        <section data-markdown data-separator="${separator}" data-separator-vertical="${vertical}"${notes}>
          <textarea data-template>
            ${body}
          </textarea>
        </section>
</div></div>
<script src="/reveal/dist/reveal.js"></script>
<script src="/reveal/dist/plugin/markdown.js"></script>
<script src="/reveal/dist/plugin/highlight.js"></script>
<script>
  Reveal.initialize(Object.assign(${JSON.stringify(options)}, { plugins: [RevealMarkdown, RevealHighlight] }));
</script></body></html>`;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.md': 'text/markdown' };

/** A plain static server: /reveal/ is node_modules/reveal.js as shipped, /decks/ the generated pages. */
function staticServer(decksDir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    const [base, rest] = path.startsWith('/reveal/') ? [REVEAL_DIR, path.slice(8)] : path.startsWith('/decks/') ? [decksDir, path.slice(7)] : [null, ''];
    if (!base || rest.includes('..')) return void res.writeHead(404).end();
    readFile(join(base, rest)).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(rest)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What reveal.js itself built: its slides, and each slide's fragment steps walked with nextFragment(). */
async function revealModel(page: Page, url: string): Promise<RevealModel> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady() === true, null, { timeout: 15_000 });
  return page.evaluate(() => {
    const Reveal = (
      window as unknown as {
        Reveal: {
          getHorizontalSlides(): Element[];
          getSlide(h: number, v: number): Element;
          getSlideNotes(slide: Element): string | null;
          slide(h: number, v: number, f?: number): void;
          nextFragment(): boolean;
        };
      }
    ).Reveal;
    const tops = Reveal.getHorizontalSlides();
    const stacks = tops.map((top) => Math.max(1, top.querySelectorAll(':scope > section').length));
    const fragments = stacks.map((n, h) =>
      Array.from({ length: n }, (_, v) => {
        Reveal.slide(h, v, -1);
        let steps = 0;
        while (Reveal.nextFragment() && steps < 1000) steps++;
        return steps;
      }),
    );
    const notes: Record<string, string> = {};
    stacks.forEach((n, h) => {
      for (let v = 0; v < n; v++) {
        const holder = document.createElement('div');
        holder.innerHTML = Reveal.getSlideNotes(Reveal.getSlide(h, v)) ?? '';
        const text = (holder.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text !== '') notes[`${h}/${v}`] = text;
      }
    });
    return { stacks, fragments, notes };
  });
}

describe('in Chromium: the deck model equals what reveal.js builds', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let base: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livedeck-fidelity-model-'));
    for (const [name, text] of Object.entries(MARKDOWN_DECKS)) {
      await writeFile(join(dir, name), text);
      await writeFile(join(dir, name.replace(/\.md$/, '.html')), revealMdPage(text));
    }
    server = await staticServer(dir);
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function inReveal(url: string): Promise<RevealModel> {
    const context = await laptopContext(browser);
    try {
      // Offline like a venue: only the local server answers (demo.html names images on other hosts).
      await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
      return await revealModel(await context.newPage(), url);
    } finally {
      await context.close();
    }
  }

  it("reveal.js's own demo.html: the same 33 columns, rows and fragment steps", async () => {
    const reveal = await inReveal(`${base}/reveal/demo.html`);
    const deck = await loadDeck(join(REVEAL_DIR, 'demo.html'));
    assert.equal(reveal.stacks.length, 33, 'reveal removes the hidden slide');
    assert.deepEqual(deck.stacks, reveal.stacks);
    assert.deepEqual(deck.fragments, reveal.fragments);
    assert.deepEqual(plainNotes(deck.notes), reveal.notes);
  });

  for (const name of Object.keys(MARKDOWN_DECKS)) {
    it(`${name} as reveal-md renders it: the same stacks and fragment steps`, async () => {
      const reveal = await inReveal(`${base}/decks/${name.replace(/\.md$/, '.html')}`);
      const deck = await loadDeck(join(dir, name));
      assert.deepEqual(deck.stacks, reveal.stacks);
      assert.deepEqual(deck.fragments, reveal.fragments);
      assert.deepEqual(plainNotes(deck.notes), reveal.notes, 'notes on the same slides');
    });
  }
});
