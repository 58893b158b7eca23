import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli } from './args.ts';

describe('parseCli', () => {
  it('reads --css and --scripts comma-separated or repeated, in order', () => {
    const options = parseCli(['talk.md', '--css', 'a.css, b.css', '--css', 'c.css', '--scripts', 'x.js'], 'demo');
    assert.deepEqual(options.css, ['a.css', 'b.css', 'c.css']);
    assert.deepEqual(options.scripts, ['x.js']);
  });

  it('gives empty lists without them', () => {
    const options = parseCli([], 'demo');
    assert.deepEqual([options.deck, options.css, options.scripts], ['demo', [], []]);
  });
});
