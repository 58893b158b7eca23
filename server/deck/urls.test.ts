import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from './edits.ts';
import { childElements, parseHtml } from './html-tree.ts';
import { isRelativeUrl, toDeckUrl, urlEdits } from './urls.ts';

const rewrite = (html: string): string => {
  const root = parseHtml(html);
  return applyEdits(html, childElements(root).flatMap(urlEdits));
};

describe('deck URLs', () => {
  it('tells relative URLs from the rest', () => {
    for (const u of ['img/a.png', './a.png', '../up.png', 'a b.png', 'x?y=1']) assert.equal(isRelativeUrl(u), true, u);
    for (const u of ['', '/abs.png', '//cdn.example/x.js', '#top', '?q', 'https://x.y', 'http://x', 'data:image/png;base64,AA', 'mailto:a@b', 'blob:x']) {
      assert.equal(isRelativeUrl(u), false, u);
    }
  });

  it('points relative URLs into /deck/', () => {
    assert.equal(toDeckUrl('img/a.png'), '/deck/img/a.png');
    assert.equal(toDeckUrl('./img/a.png'), '/deck/img/a.png');
    assert.equal(toDeckUrl('https://x.y/a.png'), 'https://x.y/a.png');
  });

  it('rewrites src, href and background attributes in markup', () => {
    assert.equal(rewrite('<img src="img/a.png" alt="a">'), '<img src="/deck/img/a.png" alt="a">');
    assert.equal(rewrite("<a href='notes.pdf'>x</a><a href=\"#s2\">y</a>"), "<a href='/deck/notes.pdf'>x</a><a href=\"#s2\">y</a>");
    assert.equal(rewrite('<section data-background-image="bg.jpg">'), '<section data-background-image="/deck/bg.jpg">');
    assert.equal(rewrite('<img srcset="a.png 1x, https://x/b.png 2x">'), '<img srcset="/deck/a.png 1x, https://x/b.png 2x">');
  });

  it('rewrites data-background only when it names a file, not a colour', () => {
    assert.equal(rewrite('<section data-background="img/bg.png">'), '<section data-background="/deck/img/bg.png">');
    for (const colour of ['#123', 'red', 'rgb(1, 2, 3)', 'linear-gradient(red, blue)']) {
      const html = `<section data-background="${colour}">`;
      assert.equal(rewrite(html), html);
    }
  });
});
