/** Each deck feature of reveal.js and reveal-md, read through loadDeck as a speaker's deck would be. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeckError, loadDeck } from './index.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'livedeck-features-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** Writes files into a fresh folder and loads the first one as the deck. */
async function deck(files: Record<string, string>, cli: { css?: string[]; scripts?: string[] } = {}) {
  const dir = join(root, `case-${++counter}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return loadDeck(join(dir, Object.keys(files)[0] ?? ''), cli);
}

async function refused(files: Record<string, string>, message: RegExp, cli: { css?: string[]; scripts?: string[] } = {}): Promise<void> {
  await assert.rejects(deck(files, cli), (err: unknown) => {
    assert.ok(err instanceof DeckError, `expected a DeckError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('data-markdown sections in an HTML deck', () => {
  it('turns an inline template into slides with its own separators and forwards the section attributes', async () => {
    const d = await deck({
      'index.html': `<div class="reveal"><div class="slides">
<section><h1>HTML first</h1></section>
<section data-markdown data-separator="^\\n\\n\\n" data-separator-vertical="^\\n\\n" data-separator-notes="^Speaker:" data-transition="zoom">
  <textarea data-template>
  ## A

  Speaker: notes for A



  ## B1


  ## B2
  </textarea>
</section></div></div>`,
    });
    assert.deepEqual(d.stacks, [1, 1, 2]);
    assert.equal(d.notes['1/0'], 'notes for A');
    assert.match(d.html, /<section data-transition="zoom" data-markdown="" data-markdown-parsed="true">\s*<h2>A<\/h2>/);
  });

  it('reads an external file from the deck folder and splits it by the section\'s separators', async () => {
    const d = await deck({
      'index.html': '<div class="slides"><section data-markdown="talk/slides.md" data-separator="^===$" data-separator-vertical="^\\+\\+\\+$"></section><section>End</section></div>',
      'talk/slides.md': '# One\n\n![x](img/pic.png)\n===\n# Two\n+++\n# Two B\n\nNote: below two',
    });
    assert.deepEqual(d.stacks, [1, 2, 1]);
    assert.equal(d.notes['1/1'], 'below two');
    // Relative URLs resolve against the page, i.e. the deck folder, as in the browser.
    assert.match(d.html, /src="\/deck\/img\/pic.png"/);
  });

  it('refuses an external file that is missing or outside the deck folder', async () => {
    await refused({ 'index.html': '<section data-markdown="nope.md"></section>' }, /Markdown file .*"nope\.md" not found/);
    const outside = join(root, 'outside.md');
    await writeFile(outside, '# secret');
    await refused({ 'index.html': '<section data-markdown="../outside.md"></section>' }, /outside the deck folder/);
    const dir = join(root, `case-${++counter}`);
    await mkdir(dir);
    await writeFile(join(dir, 'index.html'), '<section data-markdown="link.md"></section>');
    await symlink(outside, join(dir, 'link.md'));
    await assert.rejects(loadDeck(join(dir, 'index.html')), /outside the deck folder/);
  });
});

describe('markdown as reveal.js writes it', () => {
  it('applies .element comments with any attribute, and .slide comments to the slide', async () => {
    const d = await deck({
      'talk.md': '<!-- .slide: data-background-color="#123" data-auto-animate -->\n# T\n\n![pic](a.png) <!-- .element: width="300" height="200" -->\n\nsome *em* <!-- .element: class="fragment" -->',
    });
    assert.match(d.html, /<img src="\/deck\/a.png" alt="pic" width="300" height="200">/);
    assert.match(d.html, /<section [^>]*data-background-color="#123"[^>]*data-auto-animate=""/);
    // reveal's rule: a comment after inline text sets the attribute on the element before it.
    assert.match(d.html, /some <em class="fragment">em<\/em>/);
    assert.deepEqual(d.fragments, [[1]]);
  });

  it('takes notes by the notes separator and only the one part after it, as the plugin does', async () => {
    const d = await deck({ 'talk.md': '# A\n\nnotes: lower case works\n\n---\n\n# B\n\nNote: first\n\nNote: second makes three parts: no notes' });
    assert.equal(d.notes['0/0'], 'lower case works');
    assert.equal(d.notes['1/0'], undefined);
    assert.doesNotMatch(d.html, /lower case works|<aside/);
  });

  it('counts code line steps and animateLists fragments', async () => {
    const d = await deck({
      'talk.md': '---\nrevealOptions:\n  markdown:\n    animateLists: true\n---\n\n```js [1-2|3|4]\na\nb\nc\nd\n```\n\n---\n\n- one\n- two\n- three\n',
    });
    assert.deepEqual(d.fragments, [[2], [3]]);
    assert.deepEqual(d.reveal.plugins, ['highlight', 'zoom']);
    assert.match(d.html, /<code data-line-numbers="1-2\|3\|4"\s+class="js">/);
  });
});

describe('front matter, reveal.json and reveal-md.json', () => {
  it('passes nested revealOptions to reveal, front matter winning over reveal-md.json over reveal.json', async () => {
    const d = await deck({
      'talk.md': '---\ntitle: From front matter\nrevealOptions:\n  transition: fade\n  controls: false\n---\n# A',
      'reveal.json': JSON.stringify({ transition: 'zoom', width: 1280, center: false }),
      'reveal-md.json': JSON.stringify({ theme: 'moon', title: 'From reveal-md.json', revealOptions: { center: true, transition: 'convex' } }),
    });
    assert.equal(d.title, 'From front matter');
    assert.equal(d.theme, 'moon');
    assert.deepEqual(d.reveal.options, { transition: 'fade', width: 1280, center: true, controls: false });
  });

  it('takes separators from the front matter', async () => {
    const d = await deck({ 'talk.md': '---\nseparator: "^\\\\+\\\\+\\\\+$"\nverticalSeparator: "^vvv$"\n---\n# A\n+++\n# B\nvvv\n# B2\n\n---\n\nstill B2' });
    assert.deepEqual(d.stacks, [1, 2]);
  });

  it('refuses reveal.json that is not JSON, and revealOptions that are not a mapping', async () => {
    await refused({ 'talk.md': '# A', 'reveal.json': '{ nope' }, /reveal\.json beside the deck is not valid JSON/);
    await refused({ 'talk.md': '---\nrevealOptions: fast\n---\n# A' }, /"revealOptions" in the front matter .* must be a mapping/);
  });
});

describe('themes, highlight themes, extra CSS and scripts', () => {
  it('takes a theme CSS file beside the deck and serves the default theme under it', async () => {
    const d = await deck({ 'talk.md': '---\ntheme: themes/rusty.css\n---\n# A', 'themes/rusty.css': '.reveal {}' });
    assert.equal(d.theme, 'black');
    assert.equal(d.reveal.themeCss, '/deck/themes/rusty.css');
  });

  it('refuses a theme file that is missing, and a name that is no theme', async () => {
    await refused({ 'talk.md': '---\ntheme: themes/gone.css\n---\n# A' }, /Theme file .*"themes\/gone\.css" not found/);
    await refused({ 'talk.md': '---\ntheme: neon\n---\n# A' }, /Unknown theme "neon"/);
  });

  it('sets a highlight theme by style name or file, only when there is code', async () => {
    const code = '# A\n\n```js\nx\n```\n';
    assert.equal((await deck({ 'talk.md': code })).reveal.highlightTheme, 'base16/zenburn');
    assert.equal((await deck({ 'talk.md': `---\nhighlightTheme: monokai\n---\n${code}` })).reveal.highlightTheme, 'monokai');
    const file = await deck({ 'talk.md': `---\nhighlightTheme: css/code.css\n---\n${code}`, 'css/code.css': '' });
    assert.equal(file.reveal.highlightTheme, '/deck/css/code.css');
    assert.equal((await deck({ 'talk.md': '---\nhighlightTheme: monokai\n---\n# No code' })).reveal.highlightTheme, null);
  });

  it("names reveal.js's own highlight file apart from highlight.js's: an HTML deck linking plugin/highlight/monokai.css gets reveal:monokai", async () => {
    const html = (head: string) =>
      `<html><head>${head}</head><body><div class="reveal"><div class="slides"><section><pre><code>x</code></pre></section></div></div>` +
      '<script src="dist/reveal.js"></script><script>Reveal.initialize({ plugins: [RevealHighlight] });</script></body></html>';
    const linked = await deck({ 'index.html': html('<link rel="stylesheet" href="plugin/highlight/zenburn.css">') });
    assert.equal(linked.reveal.highlightTheme, 'reveal:zenburn');
    assert.equal((await deck({ 'index.html': html('') })).reveal.highlightTheme, 'reveal:monokai', "reveal.js's monokai is an HTML deck's default");
    // A Markdown deck's name stays highlight.js's, as reveal-md serves it; reveal.js's file can be asked for by its own name.
    const code = '# A\n\n```js\nx\n```\n';
    assert.equal((await deck({ 'talk.md': `---\nhighlightTheme: reveal:monokai\n---\n${code}` })).reveal.highlightTheme, 'reveal:monokai');
    await refused({ 'talk.md': `---\nhighlightTheme: reveal:github\n---\n${code}` }, /highlightTheme "reveal:github"/);
  });

  it('adds --css and --scripts before the deck\'s own, as URLs under /deck/', async () => {
    const d = await deck(
      { 'talk.md': '---\ncss: own.css\nscripts: [own.js]\n---\n# A', 'own.css': '', 'own.js': '', 'cli.css': '', 'cli.js': '' },
      { css: ['cli.css'], scripts: ['cli.js'] },
    );
    assert.deepEqual(d.reveal.css, ['/deck/cli.css', '/deck/own.css']);
    assert.deepEqual(d.reveal.scripts, ['/deck/cli.js', '/deck/own.js']);
    await refused({ 'talk.md': '# A' }, /Style sheet .*"missing\.css" not found/, { css: ['missing.css'] });
    await refused({ 'talk.md': '# A' }, /Script .*"gone\.js" not found/, { scripts: ['gone.js'] });
  });
});

describe('hidden and uncounted slides', () => {
  it('removes hidden slides before counting, keeping notes on the slides that remain', async () => {
    const d = await deck({
      'talk.md':
        '# A\n\nNote: a\n\n---\n\n<!-- .slide: data-visibility="hidden" -->\n# Hidden\n\nNote: hidden notes\n\n---\n\n' +
        '<!-- .slide: data-visibility="uncounted" -->\n# C\n\nNote: c',
    });
    assert.deepEqual(d.stacks, [1, 1]);
    assert.deepEqual(d.notes, { '0/0': 'a', '1/0': 'c' });
    assert.doesNotMatch(d.html, /Hidden/);
  });

  it('keeps them with showHiddenSlides', async () => {
    const d = await deck({ 'talk.md': '---\nrevealOptions:\n  showHiddenSlides: true\n---\n# A\n\n---\n\n<!-- .slide: data-visibility="hidden" -->\n# H' });
    assert.deepEqual(d.stacks, [1, 1]);
  });
});

describe('notes in HTML decks', () => {
  it('reads data-notes before aside.notes, per slide, and removes both', async () => {
    const d = await deck({
      'index.html': '<section data-notes="from attribute"><aside class="notes">ignored by reveal</aside>A</section><section><section>B0<aside class="notes"><ul><li>one</li><li>two</li></ul></aside></section><section>B1</section></section>',
    });
    assert.deepEqual(d.notes, { '0/0': 'from attribute', '1/0': '• one\n• two' });
    assert.doesNotMatch(d.html, /data-notes|aside|ignored/);
  });
});

describe('plugins the deck needs', () => {
  it('adds math for $$, \\( and \\[ delimiters outside code', async () => {
    assert.ok((await deck({ 'talk.md': '# A\n\n$$ e^{i\\pi} + 1 = 0 $$' })).reveal.plugins.includes('math'));
    assert.ok((await deck({ 'talk.md': '# A\n\n`\\(x\\)`' })).reveal.plugins.includes('math') === false);
  });
});

describe('the deck\'s own scripts and outside URLs', () => {
  it('hashes each inline script as served and keeps it in the html', async () => {
    const text = "document.title = 'x';";
    const d = await deck({ 'index.html': `<section>A<script>${text}</script><script type="text/template">not run</script><script src="local.js"></script></section>` });
    assert.deepEqual(d.scriptHashes, [`'sha256-${createHash('sha256').update(text).digest('base64')}'`]);
    assert.ok(d.html.includes(`<script>${text}</script>`));
  });

  it('lists the outside URLs the deck loads, unique and sorted, with outside theme and CSS', async () => {
    const d = await deck({
      'talk.md': '---\ncss: https://cdn.example/extra.css\n---\n# A\n\n![x](https://img.example/a.png)\n\n![y](https://img.example/a.png)\n\n[just a link](https://example.org)\n\n<!-- .slide: data-background-image="https://bg.example/b.jpg" -->',
    });
    assert.deepEqual(d.outsideUrls, ['https://bg.example/b.jpg', 'https://cdn.example/extra.css', 'https://img.example/a.png']);
    assert.deepEqual((await deck({ 'talk.md': '# A\n\n![x](local.png)' })).outsideUrls, []);
  });
});
