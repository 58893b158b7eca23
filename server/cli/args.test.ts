import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, UsageError } from './args.ts';

describe('parseCli --public-url', () => {
  it('takes scheme://host[:port], with or without a trailing slash', () => {
    assert.equal(parseCli(['--public-url', 'https://talk.example.org'], 'deck').publicUrl, 'https://talk.example.org');
    assert.equal(parseCli(['--public-url', 'http://10.0.0.5:8080/'], 'deck').publicUrl, 'http://10.0.0.5:8080');
    assert.equal(parseCli([], 'deck').publicUrl, undefined);
  });

  it('refuses a path, user info, another scheme or a bad port with a one-line message', () => {
    for (const url of ['https://talk.example.org/talk', 'http://localhost@evil.example', 'ftp://talk.example.org', 'http://talk.example.org:99999', 'talk.example.org']) {
      assert.throws(() => parseCli(['--public-url', url], 'deck'), (err: unknown) => err instanceof UsageError && /--public-url wants scheme:\/\/host\[:port\]/.test(err.message), url);
    }
  });

  it('refuses user info in --allow-origin too', () => {
    assert.throws(() => parseCli(['--allow-origin', 'http://localhost@evil.example'], 'deck'), UsageError);
  });
});

describe('parseCli --css and --scripts', () => {
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

describe('parseCli --duration', () => {
  it('reads a talk length in seconds, and refuses what is not one', () => {
    assert.equal(parseCli(['--duration', '45m'], 'deck').duration, 2700);
    assert.equal(parseCli([], 'deck').duration, undefined);
    assert.throws(() => parseCli(['--duration', 'soon'], 'deck'), (err: unknown) => err instanceof UsageError && /--duration wants a length/.test(err.message));
  });
});

describe('cluster options', () => {
  it('reads --redis or LIVEDECK_REDIS_URL, and serve with its own options', () => {
    assert.equal(parseCli(['talk.md', '--redis', 'redis://10.0.0.9:6379'], 'deck').redis, 'redis://10.0.0.9:6379');
    assert.equal(parseCli(['talk.md'], 'deck', { LIVEDECK_REDIS_URL: 'redis://r:1' }).redis, 'redis://r:1');
    assert.equal(parseCli(['talk.md'], 'deck', {}).redis, undefined);
    const serve = parseCli(['serve', '--redis', 'redis://r:1', '--talk', 'ABC234', '--deck-dir', '/decks/a'], 'deck');
    assert.deepEqual([serve.serve, serve.talk, serve.deckDir, serve.redis], [true, 'ABC234', '/decks/a', 'redis://r:1']);
  });

  it('refuses what cannot work, in one line', () => {
    assert.throws(() => parseCli(['serve'], 'deck'), /give --redis/);
    assert.throws(() => parseCli(['serve', 'talk.md', '--redis', 'redis://r:1'], 'deck'), /takes no deck/);
    assert.throws(() => parseCli(['talk.md', '--talk', 'X'], 'deck'), /for livedeck serve/);
    assert.throws(() => parseCli(['--redis', 'http://r:1'], 'deck'), /--redis wants redis:\/\//);
  });
});
