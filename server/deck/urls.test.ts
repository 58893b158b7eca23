import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from './dom.ts';
import { isRelativeUrl, outsideUrlsIn, rewriteDeckUrls, toDeckUrl } from './urls.ts';

function body(html: string): Element {
  return parseDocument(`<body>${html}</body>`).document.body;
}
const rewrite = (html: string): string => {
  const root = body(html);
  rewriteDeckUrls(root);
  return root.innerHTML;
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

  it('rewrites src, href, background and style URLs in markup', () => {
    assert.equal(rewrite('<img src="img/a.png" alt="a">'), '<img src="/deck/img/a.png" alt="a">');
    assert.equal(rewrite("<a href='notes.pdf'>x</a><a href=\"#s2\">y</a>"), '<a href="/deck/notes.pdf">x</a><a href="#s2">y</a>');
    assert.equal(rewrite('<section data-background-image="bg.jpg"></section>'), '<section data-background-image="/deck/bg.jpg"></section>');
    assert.equal(rewrite('<section data-background-video="a.mp4,b.webm"></section>'), '<section data-background-video="/deck/a.mp4,/deck/b.webm"></section>');
    assert.equal(rewrite('<img srcset="a.png 1x, https://x/b.png 2x">'), '<img srcset="/deck/a.png 1x, https://x/b.png 2x">');
    assert.equal(rewrite('<div style="background: url(\'bg.png\')"></div>'), '<div style="background: url(\'/deck/bg.png\')"></div>');
    assert.equal(rewrite('<style>.a { background: url(x.png) }</style>'), '<style>.a { background: url(/deck/x.png) }</style>');
  });

  it('rewrites data-background only when it names a file, not a colour', () => {
    assert.equal(rewrite('<section data-background="img/bg.png"></section>'), '<section data-background="/deck/img/bg.png"></section>');
    for (const colour of ['#123', 'red', 'rgb(1, 2, 3)', 'linear-gradient(red, blue)']) {
      const html = `<section data-background="${colour}"></section>`;
      assert.equal(rewrite(html), html);
    }
  });

  it('lists the outside URLs the browser loads, not the ones it only links to', () => {
    const urls = outsideUrlsIn(
      body(`<img src="https://img.example/a.png"><img srcset="b.png 1x, https://img.example/b2.png 2x">
<a href="https://example.org/read-more">link</a><iframe data-src="https://frame.example/"></iframe>
<video poster="//cdn.example/p.jpg"><source src="https://media.example/v.mp4"></video>
<section data-background-image="https://bg.example/i.jpg" data-background-video="https://bg.example/v.mp4"></section>
<section data-background-iframe="https://embed.example/"></section>
<div style="background-image: url(https://css.example/bg.png)"></div><style>@import "https://fonts.example/f.css";</style>
<link rel="stylesheet" href="https://style.example/s.css"><object data="https://obj.example/o.svg"></object>
<img src="local.png"><img src="data:image/png;base64,AA">`),
    );
    assert.deepEqual(urls.sort(), [
      '//cdn.example/p.jpg', 'https://bg.example/i.jpg', 'https://bg.example/v.mp4', 'https://css.example/bg.png', 'https://embed.example/',
      'https://fonts.example/f.css', 'https://frame.example/', 'https://img.example/a.png', 'https://img.example/b2.png',
      'https://media.example/v.mp4', 'https://obj.example/o.svg', 'https://style.example/s.css',
    ]);
  });
});
