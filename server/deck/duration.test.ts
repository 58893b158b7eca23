import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseDuration } from './duration.ts';
import { loadDeck } from './index.ts';

describe('parseDuration', () => {
  it('reads minutes, hours and seconds as people write them', () => {
    assert.equal(parseDuration('20m'), 1200);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('1h 15m'), 4500);
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration(20), 1200);
    assert.equal(parseDuration('45'), 2700);
  });

  it('refuses what is not a length', () => {
    for (const bad of ['', 'soon', '0m', '-5', 'm', null, {}, 0]) assert.equal(parseDuration(bad), null, String(bad));
  });
});

describe('a deck\'s talk length', () => {
  const deck = fileURLToPath(new URL('../../test/fixtures/speaker.md', import.meta.url));

  it('comes from front matter duration, and --duration wins over it', async () => {
    assert.equal((await loadDeck(deck)).duration, 600);
    assert.equal((await loadDeck(deck, { duration: 90 })).duration, 90);
  });

  it('is none for a deck that sets none', async () => {
    assert.equal((await loadDeck(fileURLToPath(new URL('../../test/fixtures/small.md', import.meta.url)))).duration, null);
  });
});
