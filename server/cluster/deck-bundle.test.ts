import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { commandConnection, type RedisClient } from './redis.ts';
import { DeckBundleError, deckKey, deckManifest, fetchBundle, MANIFEST_FIELD, readManifest, storeBundle, verifyFolder, type DeckManifest } from './deck-bundle.ts';

const skip = redisMissing() ?? false;

function write(root: string, rel: string, data: string | Buffer): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** A deck folder with everything the walker must take and everything it must leave out. */
function makeDeck(root: string): string {
  const deck = join(root, 'deck');
  write(deck, 'talk.md', '# Hello\n\n![](img/cat.png)\n');
  write(deck, 'img/cat.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
  write(deck, 'reveal.json', '{"transition":"none"}');
  write(deck, 'parts/intro.md', '## Intro');
  write(deck, 'style/theme.css', 'body{}');
  write(deck, '.env', 'SECRET=1');
  write(deck, '.git/config', '[core]');
  write(deck, 'img/.hidden.png', 'x');
  write(deck, 'node_modules/lib/index.js', 'x');
  write(deck, 'design.psd', 'not servable');
  write(deck, 'data/secrets.json', '{"ABC":"raw keys"}');
  write(root, 'outside.png', 'outside the deck');
  symlinkSync(join(root, 'outside.png'), join(deck, 'img/escape.png'));
  symlinkSync(join(deck, 'img/cat.png'), join(deck, 'img/alias.png'));
  return deck;
}

describe('deck bundle', { skip }, () => {
  let server: RedisProcess;
  let presenterNode: RedisClient;
  let otherNode: RedisClient;
  let root: string;
  let deck: string;

  before(async () => {
    server = await RedisProcess.start();
    presenterNode = await commandConnection(server.url, 'bundle-a');
    otherNode = await commandConnection(server.url, 'bundle-b');
  });
  after(async () => {
    presenterNode?.disconnect();
    otherNode?.disconnect();
    await server?.dispose();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'livedeck-bundle-'));
    deck = makeDeck(root);
  });

  it('takes the deck file, deck texts and servable files; never dotfiles, symlinks, node_modules or the data dir', async () => {
    const { manifest } = await deckManifest(join(deck, 'talk.md'), { dataDir: join(deck, 'data') });
    assert.equal(manifest.source, 'talk.md');
    assert.deepEqual(Object.keys(manifest.files), ['img/cat.png', 'parts/intro.md', 'reveal.json', 'style/theme.css', 'talk.md']);
    assert.equal(manifest.files['reveal.json'], createHash('sha256').update('{"transition":"none"}').digest('hex'));
    assert.match(manifest.hash, /^[0-9a-f]{64}$/);
    // A folder resolves to its deck the way the loader does, with the same manifest.
    assert.deepEqual((await deckManifest(deck, { dataDir: join(deck, 'data') })).manifest, manifest);
    rmSync(root, { recursive: true, force: true });
  });

  it('gives one deck hash for the same files, and another when any file changes', async () => {
    const first = (await deckManifest(deck)).manifest.hash;
    assert.equal((await deckManifest(deck)).manifest.hash, first);
    write(deck, 'style/theme.css', 'body{color:red}');
    assert.notEqual((await deckManifest(deck)).manifest.hash, first);
    rmSync(root, { recursive: true, force: true });
  });

  it('bundles a deck under the cap, and another node fetches identical files and the deck path', async () => {
    const stored = await storeBundle(presenterNode, 'BND234', deck, { dataDir: join(deck, 'data') });
    assert.equal(stored.bundled, true);
    assert.equal(stored.bytes, 8 + 21 + 8 + 6 + readFileSync(join(deck, 'talk.md')).length);
    const cache = join(root, 'cache');
    const source = await fetchBundle(otherNode, 'BND234', cache);
    assert.equal(readFileSync(source, 'utf8'), readFileSync(join(deck, 'talk.md'), 'utf8'));
    const fetched = dirname(source);
    assert.deepEqual(readFileSync(join(fetched, 'img/cat.png')), readFileSync(join(deck, 'img/cat.png')));
    assert.equal(existsSync(join(fetched, '.env')), false);
    assert.equal(existsSync(join(fetched, 'data/secrets.json')), false);
    assert.equal(await verifyFolder(fetched, stored.manifest), null);
    // The copy is checked against the manifest and reused: the files in Redis are not read again.
    await presenterNode.hset(deckKey('BND234'), 'img/cat.png', 'damaged after the first fetch');
    assert.equal(await fetchBundle(otherNode, 'BND234', cache), source);
    writeFileSync(join(fetched, 'style/theme.css'), 'changed on disk');
    await assert.rejects(fetchBundle(otherNode, 'BND234', cache), /damaged img\/cat\.png/, 'a changed copy is fetched again, and Redis is checked');
    assert.deepEqual(await readManifest(otherNode, 'BND234'), stored.manifest);
    rmSync(root, { recursive: true, force: true });
  });

  it('stores only the manifest over the cap, and a node without --deck-dir is told so', async () => {
    const stored = await storeBundle(presenterNode, 'BIG234', deck, { capBytes: 20 });
    assert.equal(stored.bundled, false);
    assert.ok(stored.bytes > 20);
    assert.deepEqual(await otherNode.hkeys(deckKey('BIG234')), [MANIFEST_FIELD]);
    await assert.rejects(fetchBundle(otherNode, 'BIG234', join(root, 'cache')), /over the bundle cap.*--deck-dir/);
    const manifest = (await readManifest(otherNode, 'BIG234'))!;
    assert.equal(manifest.hash, stored.manifest.hash);
    assert.equal(await verifyFolder(deck, manifest), null);
    rmSync(root, { recursive: true, force: true });
  });

  it('replaces a bundle whole: a new deck leaves no file of the old one', async () => {
    await storeBundle(presenterNode, 'NEW234', deck);
    unlinkSync(join(deck, 'style/theme.css'));
    const second = await storeBundle(presenterNode, 'NEW234', deck);
    assert.equal((await otherNode.hexists(deckKey('NEW234'), 'style/theme.css')), 0);
    assert.equal(await otherNode.ttl(deckKey('NEW234')), -1, 'the bundle does not keep the partial key expiry');
    assert.deepEqual(await readManifest(otherNode, 'NEW234'), second.manifest);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a damaged file or a path leaving the cache folder, writing nothing', async () => {
    await storeBundle(presenterNode, 'DMG234', deck);
    await presenterNode.hset(deckKey('DMG234'), 'img/cat.png', 'tampered');
    const cache = join(root, 'cache');
    await assert.rejects(fetchBundle(otherNode, 'DMG234', cache), (err: unknown) => err instanceof DeckBundleError && /damaged img\/cat\.png/.test(err.message));

    const evil = createHash('sha256').update('pwned').digest('hex');
    for (const path of ['../evil.png', '/tmp/evil.png', 'img/../../evil.png', '.ssh/evil.png']) {
      const files = { 'talk.md': createHash('sha256').update('# x').digest('hex'), [path]: evil };
      const manifest: DeckManifest = { version: 1, source: 'talk.md', files, bytes: 8, hash: 'f'.repeat(64), bundled: true };
      await presenterNode.del(deckKey('EVL234'));
      await presenterNode.hset(deckKey('EVL234'), MANIFEST_FIELD, JSON.stringify(manifest), 'talk.md', '# x', path, 'pwned');
      await assert.rejects(fetchBundle(otherNode, 'EVL234', cache), /names a file outside its folder/);
    }
    assert.equal(existsSync(cache), false);
    assert.equal(existsSync(join(root, 'evil.png')), false);
    rmSync(root, { recursive: true, force: true });
  });

  it('checks a --deck-dir folder against the registered manifest, naming the first file that differs', async () => {
    const { manifest } = await deckManifest(deck);
    const copy = join(root, 'copy');
    cpSync(deck, copy, { recursive: true, verbatimSymlinks: true });
    assert.equal(await verifyFolder(copy, manifest), null);

    write(copy, 'style/theme.css', 'body{color:red}');
    assert.deepEqual(await verifyFolder(copy, manifest), { path: 'style/theme.css', problem: 'changed', message: `style/theme.css in ${copy} differs from the registered deck` });
    write(copy, 'style/theme.css', 'body{}');

    unlinkSync(join(copy, 'img/cat.png'));
    assert.equal((await verifyFolder(copy, manifest))?.problem, 'missing');
    assert.equal((await verifyFolder(copy, manifest))?.path, 'img/cat.png');
    cpSync(join(deck, 'img/cat.png'), join(copy, 'img/cat.png'));

    write(copy, 'extra.png', 'x');
    assert.deepEqual(await verifyFolder(copy, manifest), { path: 'extra.png', problem: 'extra', message: `extra.png in ${copy} is not part of the registered deck` });

    assert.equal((await verifyFolder(join(root, 'nowhere'), manifest))?.path, 'talk.md');
    rmSync(root, { recursive: true, force: true });
  });
});
