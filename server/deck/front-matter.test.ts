import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitFrontMatter } from './front-matter.ts';

describe('splitFrontMatter', () => {
  it('reads key: value lines and returns the rest as the body', () => {
    const r = splitFrontMatter('---\ntitle: WebSockets: the web, live\ntheme: moon\n---\n# First');
    assert.deepEqual(r.meta, { title: 'WebSockets: the web, live', theme: 'moon' });
    assert.equal(r.body, '# First');
  });

  it('unquotes values, drops comments and skips nested values', () => {
    const r = splitFrontMatter(
      "---\n# a comment\nTitle: \"Quoted \\\"x\\\"\"\ntheme: 'it''s'\nauthor: Ann # the speaker\nrevealOptions:\n  transition: fade\n  controls: false\n...\nBody",
    );
    assert.deepEqual(r.meta, { title: 'Quoted "x"', theme: "it's", author: 'Ann', revealoptions: '' });
    assert.equal(r.body, 'Body');
  });

  it('is not front matter when the block is a slide', () => {
    const text = '---\n# Not YAML\n---\n# B';
    assert.deepEqual(splitFrontMatter(text), { meta: {}, body: text });
  });

  it('is not front matter without a leading --- or a closing one', () => {
    assert.deepEqual(splitFrontMatter('title: x\n---\n# A').meta, {});
    assert.deepEqual(splitFrontMatter('---\ntitle: x\n# A').meta, {});
  });
});
