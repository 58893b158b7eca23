import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyAttributeComments } from './attribute-comments.ts';
import { parseAttributeList } from './attributes.ts';

describe('applyAttributeComments', () => {
  it('makes list items fragments when the comment ends the item', () => {
    const r = applyAttributeComments('<ul>\n<li>a <!-- .element: class="fragment" --></li>\n<li>b <!-- .element: class="fragment" --></li>\n</ul>');
    assert.equal(r.html, '<ul>\n<li class="fragment">a</li>\n<li class="fragment">b</li>\n</ul>');
    assert.deepEqual(r.sectionAttrs, []);
  });

  it('applies to the element before the comment, else to the parent', () => {
    const r = applyAttributeComments('<p>Text <!-- .element: class="fragment" --></p><p><img src="a.png"> <!-- .element: class="r-stretch" --></p>');
    assert.equal(r.html, '<p class="fragment">Text</p><p><img src="a.png" class="r-stretch"></p>');
  });

  it('applies to the previous block when the comment stands alone', () => {
    const r = applyAttributeComments('<ul>\n<li>a</li>\n</ul>\n<!-- .element: class="fragment fade-up" -->');
    assert.equal(r.html.trim(), '<ul class="fragment fade-up">\n<li>a</li>\n</ul>');
  });

  it('adds to an existing class and replaces other attributes', () => {
    const r = applyAttributeComments('<p class="big" id="x">t <!-- .element: class="fragment" id="y" --></p>');
    assert.equal(r.html, '<p class="big fragment" id="y">t</p>');
  });

  it('collects .slide: comments, and first-child .element: comments, for the section', () => {
    const r = applyAttributeComments('<!-- .slide: data-background="#123" class="dark" --><h2>T</h2>');
    assert.equal(r.html, '<h2>T</h2>');
    assert.deepEqual(r.sectionAttrs, [{ name: 'data-background', value: '#123' }, { name: 'class', value: 'dark' }]);
  });

  it('drops unsafe attribute names', () => {
    const r = applyAttributeComments('<p>t <!-- .element: onclick="alert(1)" class="fragment" src="x" --></p>');
    assert.equal(r.html, '<p class="fragment">t</p>');
  });

  it('leaves ordinary comments alone', () => {
    const html = '<p>t <!-- a remark --></p>';
    assert.equal(applyAttributeComments(html).html, html);
  });
});

describe('parseAttributeList', () => {
  it('reads double, single, unquoted and bare attributes, allowing only class, id, style, data-*', () => {
    assert.deepEqual(parseAttributeList(`class="a b" data-x='1' id=z data-auto-animate style="color: red" href="h" onload="x"`), [
      { name: 'class', value: 'a b' },
      { name: 'data-x', value: '1' },
      { name: 'id', value: 'z' },
      { name: 'data-auto-animate', value: null },
      { name: 'style', value: 'color: red' },
    ]);
  });
});
