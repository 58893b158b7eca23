import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from './edits.ts';
import { attr, childElements, descendants, inner, outer, parseHtml } from './html-tree.ts';

describe('parseHtml', () => {
  it('records source offsets so a node can be cut back out', () => {
    const src = '<section id="a"><h1>Hi</h1><p>x<br>y</p></section><section>b</section>';
    const root = parseHtml(src);
    const [first, second] = childElements(root, 'section');
    assert.equal(outer(src, first!), '<section id="a"><h1>Hi</h1><p>x<br>y</p></section>');
    assert.equal(inner(src, second!), 'b');
    assert.deepEqual(childElements(first!).map((e) => e.name), ['h1', 'p']);
    assert.equal(attr(first!, 'id')?.value, 'a');
  });

  it('reads quoted, unquoted and bare attributes, keeping the written case', () => {
    const root = parseHtml(`<svg viewBox='0 0 1 1' data-x=1 hidden><path d="M0 0"/></svg>`);
    const svg = childElements(root)[0]!;
    assert.deepEqual(svg.attrs.map((a) => [a.name, a.value]), [['viewBox', '0 0 1 1'], ['data-x', '1'], ['hidden', null]]);
    assert.equal(childElements(svg, 'path').length, 1, 'a self-closed svg child has no children of its own');
  });

  it('closes an open <li> or <p> the way browsers do', () => {
    const root = parseHtml('<ul><li>a<li>b</ul><p>one<p>two<div>d</div>');
    assert.equal(childElements(childElements(root, 'ul')[0]!, 'li').length, 2);
    assert.deepEqual(childElements(root).map((e) => e.name), ['ul', 'p', 'p', 'div']);
  });

  it('treats script content as text, so tags in it are not elements', () => {
    const root = parseHtml('<section><script>if (a<b) x = "<aside class=notes>";</script><aside class="notes">n</aside></section>');
    const asides = descendants(root, (e) => e.name === 'aside');
    assert.equal(asides.length, 1);
  });

  it('keeps comments as nodes with their text', () => {
    const root = parseHtml('<p>x <!-- .element: class="fragment" --></p>');
    const comment = childElements(root)[0]?.children.find((c) => c.kind === 'comment');
    assert.equal(comment?.kind === 'comment' && comment.data, ' .element: class="fragment" ');
  });
});

describe('applyEdits', () => {
  it('splices by offsets and drops an edit inside one already applied', () => {
    const out = applyEdits('0123456789', [
      { start: 2, end: 6, text: 'X' },
      { start: 3, end: 4, text: 'inner' },
      { start: 8, end: 8, text: '+' },
    ]);
    assert.equal(out, '01X67+89');
  });
});
