import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeckError, loadDeck } from './index.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'livedeck-deck-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** Writes files into a fresh folder and returns its path. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function rejectsWith(path: string, message: RegExp): Promise<void> {
  await assert.rejects(loadDeck(path), (err: unknown) => {
    assert.ok(err instanceof DeckError, `expected a DeckError, got ${String(err)}`);
    assert.match(err.message, message);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    return true;
  });
}

const TALK = `---
title: "Sockets: a talk"
theme: moon
---

# Opening <!-- .element: class="title" -->

Note: Welcome everyone.

---

## Points

- first <!-- .element: class="fragment" -->
- second <!-- .element: class="fragment" -->

![diagram](img/flow.svg)

Note:
Secret plan: say the points slowly.

---

<!-- .slide: data-background="#123456" -->
## Stack top

Note: top notes

----

## Stack middle

----

## Stack bottom
`;

describe('loadDeck: markdown', () => {
  it('splits slides and stacks, reads front matter, and keeps notes out of the html', async () => {
    const dir = await folder({ 'talk.md': TALK });
    const deck = await loadDeck(join(dir, 'talk.md'));
    assert.equal(deck.title, 'Sockets: a talk');
    assert.equal(deck.theme, 'moon');
    assert.deepEqual(deck.stacks, [1, 1, 3]);
    assert.deepEqual(deck.notes, {
      '0/0': 'Welcome everyone.',
      '1/0': 'Secret plan: say the points slowly.',
      '2/0': 'top notes',
    });
    assert.doesNotMatch(deck.html, /Welcome everyone|Secret plan|top notes|Note:/);
    assert.equal(deck.dir, dir);
    assert.equal(deck.source, join(dir, 'talk.md'));
  });

  it('emits plain sections and nested sections for stacks', async () => {
    const deck = await loadDeck(join(await folder({ 'talk.md': TALK }), 'talk.md'));
    const sections = deck.html.match(/<\/?section[^>]*>/g) ?? [];
    assert.deepEqual(
      sections.map((t) => (t.startsWith('</') ? '/' : 'S')).join(''),
      'S/' + 'S/' + 'S' + 'S/S/S/' + '/',
    );
  });

  it('applies fragment and slide attribute comments', async () => {
    const deck = await loadDeck(join(await folder({ 'talk.md': TALK }), 'talk.md'));
    // reveal's markdown plugin empties the comment it read and leaves it in place.
    assert.match(deck.html, /<li class="fragment">first <!-- --><\/li>\s*<li class="fragment">second <!-- --><\/li>/);
    assert.match(deck.html, /<h1 class="title">Opening <!-- --><\/h1>/);
    assert.match(deck.html, /<section [^>]*data-background="#123456">\s*<!-- -->\s*<h2>Stack top<\/h2>/);
    assert.doesNotMatch(deck.html, /\.element:|\.slide:/);
  });

  it('splits on a separator line even inside a fenced code block, as reveal.js does', async () => {
    // reveal's slidify cuts the text by regular expression before markdown is parsed.
    const md = '# A\n\n```yaml\nkey: 1\n---\nkey: 2\n```\n';
    const deck = await loadDeck(join(await folder({ 'talk.md': md }), 'talk.md'));
    assert.deepEqual(deck.stacks, [1, 1]);
  });

  it('points relative image and link URLs at /deck/ and leaves absolute ones', async () => {
    const md = '# T\n\n![a](img/a.png) ![b](./b.png) ![c](https://example.com/c.png) ![d](/d.png)\n\n[doc](files/x.pdf) [top](#top)';
    const deck = await loadDeck(join(await folder({ 'd.md': md }), 'd.md'));
    assert.match(deck.html, /src="\/deck\/img\/a\.png"/);
    assert.match(deck.html, /src="\/deck\/b\.png"/);
    assert.match(deck.html, /src="https:\/\/example\.com\/c\.png"/);
    assert.match(deck.html, /src="\/d\.png"/);
    assert.match(deck.html, /href="\/deck\/files\/x\.pdf"/);
    assert.match(deck.html, /href="#top"/);
  });

  it('takes the title from the first heading, else the file name; theme defaults to black', async () => {
    const dir = await folder({ 'a.md': 'Intro text\n\n---\n\n## Second *slide*', 'b.markdown': 'no heading at all' });
    const a = await loadDeck(join(dir, 'a.md'));
    assert.equal(a.title, 'Second slide');
    assert.equal(a.theme, 'black');
    assert.equal((await loadDeck(join(dir, 'b.markdown'))).title, 'b');
  });

  it('reads Windows line endings and a byte order mark', async () => {
    const deck = await loadDeck(join(await folder({ 'w.md': '\uFEFF---\r\ntitle: W\r\n---\r\n# A\r\n---\r\n# B\r\nNote: n\r\n' }), 'w.md'));
    assert.equal(deck.title, 'W');
    assert.deepEqual(deck.stacks, [1, 1]);
    assert.deepEqual(deck.notes, { '1/0': 'n' });
  });
});

const HTML_PAGE = `<!doctype html>
<html>
<head>
  <title>Page &amp; title</title>
  <link rel="stylesheet" href="dist/reveal.css">
  <link rel="stylesheet" href="dist/theme/serif.css">
</head>
<body>
  <div class="reveal"><div class="slides">
    <section data-background-image="img/bg.jpg">
      <h1>First</h1>
      <aside class="notes">
        Opening remarks &amp; a &lt;joke&gt;.
        Then <em>smile</em>.
      </aside>
    </section>
    <section>
      <section data-notes="Top of &quot;stack&quot;"><h2>V0</h2><img src="pics/a.png"></section>
      <section><h2>V1</h2><aside class="notes">Second vertical</aside></section>
      <section><h2>V2</h2></section>
    </section>
    <section><a href="https://reveal.js.org">link</a></section>
  </div></div>
  <script src="dist/reveal.js"></script>
</body>
</html>`;

describe('loadDeck: HTML', () => {
  it('reads a full reveal.js page: slides container, nested stacks, aside and data-notes', async () => {
    const dir = await folder({ 'deck.html': HTML_PAGE });
    const deck = await loadDeck(join(dir, 'deck.html'));
    assert.equal(deck.title, 'Page & title');
    assert.equal(deck.theme, 'serif');
    assert.deepEqual(deck.stacks, [1, 3, 1]);
    assert.deepEqual(deck.notes, {
      '0/0': 'Opening remarks & a <joke>.\nThen smile.',
      '1/0': 'Top of "stack"',
      '1/1': 'Second vertical',
    });
    assert.doesNotMatch(deck.html, /<aside|data-notes|Opening remarks|Second vertical/);
    assert.doesNotMatch(deck.html, /<script|<div class="reveal"/, 'only the slides are taken');
    assert.match(deck.html, /data-background-image="\/deck\/img\/bg\.jpg"/);
    assert.match(deck.html, /src="\/deck\/pics\/a\.png"/);
    assert.match(deck.html, /href="https:\/\/reveal\.js\.org"/);
  });

  it('reads a fragment of sections, titled by its first heading', async () => {
    const dir = await folder({ 'part.htm': '<section><h2>Only &amp; one</h2></section>\n<section><section>a</section><section>b</section></section>' });
    const deck = await loadDeck(join(dir, 'part.htm'));
    assert.equal(deck.title, 'Only & one');
    assert.equal(deck.theme, 'black');
    assert.deepEqual(deck.stacks, [1, 2]);
    assert.deepEqual(deck.notes, {});
  });

  it('takes the outermost sections of the body when there is no slides container', async () => {
    const html = '<html><body><main><section><p>1</p></section><div><section><section>2a</section><section>2b</section></section></div></main></body></html>';
    const deck = await loadDeck(join(await folder({ 'x.html': html }), 'x.html'));
    assert.deepEqual(deck.stacks, [1, 2]);
    assert.equal(deck.title, 'x');
  });

  it('refuses a page without sections', async () => {
    const dir = await folder({ 'talk.html': '<html><body><h1>Hi</h1></body></html>' });
    await rejectsWith(join(dir, 'talk.html'), /^Cannot parse deck .*talk\.html: no <section> slides found$/);
  });
});

describe('loadDeck: folders', () => {
  it('prefers index.md, then slides.md, then index.html', async () => {
    const all = await folder({ 'index.md': '# I', 'slides.md': '# S', 'index.html': '<section><h1>H</h1></section>', 'other.md': '# O' });
    assert.equal((await loadDeck(all)).title, 'I');
    const noIndex = await folder({ 'slides.md': '# S', 'index.html': '<section><h1>H</h1></section>', 'other.md': '# O' });
    assert.equal((await loadDeck(noIndex)).title, 'S');
    const htmlOnly = await folder({ 'index.html': '<section><h1>H</h1></section>', 'other.md': '# O', 'more.md': '# M' });
    assert.equal((await loadDeck(htmlOnly)).title, 'H');
  });

  it('takes the only markdown file, else the only HTML file, ignoring other files', async () => {
    const md = await folder({ 'talk.md': '# Talk', 'export.html': '<section>x</section>', 'img/a.svg': '<svg/>', 'README.txt': 'x' });
    const deck = await loadDeck(md);
    assert.equal(deck.title, 'Talk');
    assert.equal(deck.source, join(md, 'talk.md'));
    assert.equal(deck.dir, md);
    const html = await folder({ 'deck.html': '<section><h1>D</h1></section>', '.hidden.md': '# no' });
    assert.equal((await loadDeck(html)).title, 'D');
  });

  it('refuses a folder with several candidates, listing them', async () => {
    const dir = await folder({ 'a.md': '# A', 'b.md': '# B' });
    await rejectsWith(dir, /^Several decks in folder .*\(a\.md, b\.md\)/);
  });

  it('refuses a folder with no deck', async () => {
    await rejectsWith(await folder({ 'notes.txt': 'x' }), /^No deck in folder /);
  });
});

describe('loadDeck: errors', () => {
  it('says the deck is not found, with the path as given', async () => {
    await rejectsWith('does/not/exist/talk.md', /^Deck not found: does\/not\/exist\/talk\.md$/);
  });

  it('refuses an empty or blank deck', async () => {
    const dir = await folder({ 'empty.md': '', 'blank.md': '  \n\n', 'seps.md': '\n---\n\n---\n\n----\n\n' });
    await rejectsWith(join(dir, 'empty.md'), /^Deck is empty: .*empty\.md$/);
    await rejectsWith(join(dir, 'blank.md'), /^Deck is empty: /);
    await rejectsWith(join(dir, 'seps.md'), /^Cannot parse deck .*seps\.md: no slides found$/);
  });

  it('refuses a deck that is only front matter', async () => {
    const dir = await folder({ 'fm.md': '---\ntitle: Nothing\n---\n' });
    await rejectsWith(join(dir, 'fm.md'), /no slides found/);
  });

  it('refuses an unknown theme', async () => {
    const dir = await folder({ 't.md': '---\ntheme: neon\n---\n# A' });
    await rejectsWith(join(dir, 't.md'), /^Unknown theme "neon" in .*t\.md: use one of black, white/);
  });

  it('refuses a file that is not a deck', async () => {
    const dir = await folder({ 'talk.txt': '# A' });
    await rejectsWith(join(dir, 'talk.txt'), /^Unsupported deck file .*talk\.txt/);
  });

  it('reports an unreadable file as a DeckError', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, async () => {
    const dir = await folder({ 'locked.md': '# A' });
    await chmod(join(dir, 'locked.md'), 0o000);
    try {
      await rejectsWith(join(dir, 'locked.md'), /^Cannot read deck .*locked\.md: permission denied$/);
    } finally {
      await chmod(join(dir, 'locked.md'), 0o644);
    }
  });
});
