import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DeckError } from './errors.ts';
import { resolveTheme, THEMES } from './themes.ts';

describe('themes', () => {
  it('lists exactly the themes reveal.js ships', async () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('reveal.js/reveal.css')), 'theme');
    const shipped = (await readdir(dir)).filter((f) => f.endsWith('.css')).map((f) => f.slice(0, -4));
    assert.deepEqual([...THEMES].sort(), shipped.sort());
  });

  it('defaults to black and forgives case and .css', () => {
    assert.equal(resolveTheme(undefined, 'd.md'), 'black');
    assert.equal(resolveTheme('  ', 'd.md'), 'black');
    assert.equal(resolveTheme('Night.css', 'd.md'), 'night');
  });

  it('refuses an unknown theme with a DeckError naming it', () => {
    assert.throws(() => resolveTheme('neon', 'talk.md'), (err: unknown) => err instanceof DeckError && /Unknown theme "neon" in talk\.md/.test(err.message));
  });
});
