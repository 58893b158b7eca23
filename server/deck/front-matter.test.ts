import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeckError } from './errors.ts';
import { splitFrontMatter } from './front-matter.ts';

describe('splitFrontMatter', () => {
  it('reads YAML and returns the rest as the body', () => {
    const r = splitFrontMatter('---\ntitle: "WebSockets: the web, live"\ntheme: moon\n---\n# First');
    assert.deepEqual(r.meta, { title: 'WebSockets: the web, live', theme: 'moon' });
    assert.equal(r.body, '\n# First');
  });

  it('reads nested revealOptions, lists and comments as YAML does', () => {
    const r = splitFrontMatter(
      "---\n# a comment\ntitle: 'it''s'\ncss: [a.css, b.css]\nrevealOptions:\n  transition: fade\n  controls: false\n  markdown:\n    smartypants: true\n---\nBody",
    );
    assert.deepEqual(r.meta, {
      title: "it's",
      css: ['a.css', 'b.css'],
      revealOptions: { transition: 'fade', controls: false, markdown: { smartypants: true } },
    });
    assert.equal(r.body, '\nBody');
  });

  it('is not front matter when the block is a slide, not a YAML mapping', () => {
    for (const text of ['---\n# Not YAML\n---\n# B', '---\n- a list\n---\nB', '---\n- [unclosed\n---\nB']) {
      assert.deepEqual(splitFrontMatter(text), { meta: {}, body: text });
    }
  });

  it('refuses front matter that is meant as YAML but is not, with a clear one-line message', () => {
    assert.throws(
      () => splitFrontMatter('---\ntitle: WebSockets: the web, live\n---\n# A', 'talk.md'),
      (err: unknown) => err instanceof DeckError && /^The front matter of talk\.md is not valid YAML: Nested mappings .*quote a value/.test(err.message) && !err.message.includes('\n'),
    );
  });

  it('is not front matter without a leading --- or a closing one', () => {
    assert.deepEqual(splitFrontMatter('title: x\n---\n# A').meta, {});
    assert.deepEqual(splitFrontMatter('---\ntitle: x\n# A').meta, {});
  });
});
