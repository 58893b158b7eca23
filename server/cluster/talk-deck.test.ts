import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { deckKey, readManifest, storeBundle } from './deck-bundle.ts';
import { commandConnection, type RedisClient } from './redis.ts';
import { chooseTalk, TalkConflict } from './registry.ts';
import { openTalkDeck, publishTalk } from './talk-deck.ts';

const skip = redisMissing() ?? false;
const keys = { presenterKeyHash: '1'.repeat(64), moderatorKeyHash: '2'.repeat(64) };

describe('publishing a talk and opening its deck on other nodes', { skip }, () => {
  let server: RedisProcess;
  let presenterNode: RedisClient;
  let serveNode: RedisClient;
  let root: string;
  let deck: string;

  before(async () => {
    server = await RedisProcess.start();
    presenterNode = await commandConnection(server.url, 'talk-deck-a');
    serveNode = await commandConnection(server.url, 'talk-deck-b');
    root = mkdtempSync(join(tmpdir(), 'livedeck-talk-deck-'));
    deck = join(root, 'deck');
    mkdirSync(join(deck, 'img'), { recursive: true });
    writeFileSync(join(deck, 'index.md'), '# Cluster\n\n![](img/map.png)\n');
    writeFileSync(join(deck, 'img/map.png'), 'png bytes');
  });
  after(async () => {
    presenterNode?.disconnect();
    serveNode?.disconnect();
    await server?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('registers and bundles; a serve node picks the talk and loads the same deck from its cache', async () => {
    const published = await publishTalk(presenterNode, { code: 'PUB234', ...keys, deckTitle: 'Cluster', deck });
    assert.equal(published.registration, 'created');
    assert.equal(published.stored, true);
    assert.equal(published.record.deckHash, published.manifest.hash);

    const record = await chooseTalk(serveNode);
    const source = await openTalkDeck(serveNode, record, { cacheDir: join(root, 'cache') });
    assert.equal(readFileSync(source, 'utf8'), readFileSync(join(deck, 'index.md'), 'utf8'));
    assert.equal(readFileSync(join(source, '..', 'img/map.png'), 'utf8'), 'png bytes');

    const again = await publishTalk(presenterNode, { code: 'PUB234', ...keys, deckTitle: 'Cluster', deck, created: 1 });
    assert.equal(again.registration, 'unchanged');
    assert.equal(again.stored, false, 'a restarted presenter node does not upload the same deck again');
    assert.equal(again.record.created, published.record.created);
  });

  it("never overwrites another talk's deck when its registration is refused", async () => {
    const before = await readManifest(serveNode, 'PUB234');
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'talk.md'), '# Someone else');
    await assert.rejects(publishTalk(presenterNode, { code: 'PUB234', ...keys, deckTitle: 'Other', deck: other }), TalkConflict);
    assert.deepEqual(await readManifest(serveNode, 'PUB234'), before);
  });

  it('checks a --deck-dir folder, naming the file that differs, and serves it when it matches', async () => {
    const record = await chooseTalk(serveNode, 'PUB234');
    const copy = join(root, 'copy');
    cpSync(deck, copy, { recursive: true });
    assert.equal(await openTalkDeck(serveNode, record, { cacheDir: join(root, 'unused'), deckDir: copy }), join(copy, 'index.md'));
    writeFileSync(join(copy, 'img/map.png'), 'an older picture');
    await assert.rejects(
      openTalkDeck(serveNode, record, { cacheDir: join(root, 'unused'), deckDir: copy }),
      new RegExp(`--deck-dir does not hold the deck of talk PUB234: img/map.png in ${copy} differs from the registered deck`),
    );
  });

  it('refuses a bundle that is not the deck the talk was registered with', async () => {
    const record = await chooseTalk(serveNode, 'PUB234');
    const other = join(root, 'swap');
    mkdirSync(other);
    writeFileSync(join(other, 'talk.md'), '# Swapped');
    await storeBundle(presenterNode, 'PUB234', other);
    await assert.rejects(openTalkDeck(serveNode, record, { cacheDir: join(root, 'cache2') }), /not the one it was registered with/);
    await presenterNode.del(deckKey('PUB234'));
    await assert.rejects(openTalkDeck(serveNode, record, { cacheDir: join(root, 'cache2'), deckDir: deck }), /has no deck in Redis/);
  });
});
