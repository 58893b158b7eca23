import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { DeckError } from './errors.ts';
import { topicsFromAttribute, topicsFromFrontMatter } from './topics.ts';

describe('topics a deck declares', () => {
  it('reads livedeck.topics from front matter', () => {
    assert.deepEqual(topicsFromFrontMatter({ livedeck: { topics: { taps: { audience: true }, status: {}, plain: null } } }, 'talk.md'), {
      taps: { audience: true },
      status: { audience: false },
      plain: { audience: false },
    });
    assert.deepEqual(topicsFromFrontMatter({}, 'talk.md'), {});
  });

  it('refuses bad names and shapes with a clear message', () => {
    assert.throws(() => topicsFromFrontMatter({ livedeck: { topics: { 'no spaces': {} } } }, 'talk.md'), DeckError);
    assert.throws(() => topicsFromFrontMatter({ livedeck: { topics: { taps: { audience: 'yes' } } } }, 'talk.md'), /"audience" of topic "taps"/);
    assert.throws(() => topicsFromFrontMatter({ livedeck: 'taps' }, 'talk.md'), /must be a mapping/);
  });

  it('reads data-livedeck-topics in an HTML deck', () => {
    const { document } = new JSDOM('<div class="reveal" data-livedeck-topics="taps:audience, status"></div>').window;
    assert.deepEqual(topicsFromAttribute(document, 'talk.html'), { taps: { audience: true }, status: { audience: false } });
    const bad = new JSDOM('<div data-livedeck-topics="taps:everyone"></div>').window.document;
    assert.throws(() => topicsFromAttribute(bad, 'talk.html'), /"name" or "name:audience"/);
  });
});
