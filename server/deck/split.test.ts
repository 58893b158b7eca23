import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSlides } from './split.ts';

const contents = (md: string): string[][] => splitSlides(md).map((stack) => stack.map((s) => s.content.trim()));

describe('splitSlides', () => {
  it('cuts horizontal slides on --- and vertical slides on ----', () => {
    assert.deepEqual(contents('# A\n---\n# B\n----\n# B2\n----\n# B3\n---\n# C'), [['# A'], ['# B', '# B2', '# B3'], ['# C']]);
  });

  it('accepts trailing whitespace on separator lines but nothing else', () => {
    assert.deepEqual(contents('A\n---  \nB\n----\t\nC'), [['A'], ['B', 'C']]);
    assert.deepEqual(contents('A\n --- \nB\n-----\nC\n--- x'), [['A\n --- \nB\n-----\nC\n--- x']]);
  });

  it('does not cut inside fenced code blocks, with backticks or tildes', () => {
    const md = ['# Code', '```yaml', '---', 'a: 1', '----', '```', '---', '# Next', '~~~~', '---', '```', '---', '~~~~'].join('\n');
    const slides = contents(md);
    assert.equal(slides.length, 2);
    assert.match(slides[0]?.[0] ?? '', /```yaml\n---\na: 1\n----\n```/);
    assert.match(slides[1]?.[0] ?? '', /~~~~\n---\n```\n---\n~~~~$/);
  });

  it('takes everything from a Note: line to the end of the slide as notes', () => {
    const slides = splitSlides('# A\ntext\nNote: say this\nand that\n---\n# B\nNotes: other\n----\n# C');
    assert.equal(slides[0]?.[0]?.content.trim(), '# A\ntext');
    assert.equal(slides[0]?.[0]?.notes, 'say this\nand that');
    assert.equal(slides[1]?.[0]?.notes, 'other');
    assert.equal(slides[1]?.[1]?.notes, '');
  });

  it('does not see notes inside a fence', () => {
    const [[slide]] = splitSlides('```\nNote: code\n```\nNote: real') as [[{ content: string; notes: string }]];
    assert.equal(slide.content, '```\nNote: code\n```');
    assert.equal(slide.notes, 'real');
  });

  it('leaves out blank slides, e.g. from a leading separator', () => {
    assert.deepEqual(contents('---\n# A\n---\n\n---\n# B\n----\n   \n'), [['# A'], ['# B']]);
  });
});
