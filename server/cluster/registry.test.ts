import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RedisProcess, redisMissing } from '../../test/support/redis-server.ts';
import { commandConnection, type RedisClient } from './redis.ts';
import { chooseTalk, listTalks, readTalk, registerTalk, TalkChoiceError, TalkConflict, TalkRecordInvalid, talkKey, type ClusterTalkRecord } from './registry.ts';

const skip = redisMissing() ?? false;

const record = (code: string, over: Partial<ClusterTalkRecord> = {}): ClusterTalkRecord => ({
  code,
  presenterKeyHash: 'a'.repeat(64),
  moderatorKeyHash: 'b'.repeat(64),
  deckTitle: 'Scaling out',
  deckHash: 'c'.repeat(64),
  bundleBytes: 1234,
  bundled: true,
  created: 1_700_000_000_000,
  ...over,
});

describe('talk registry', { skip }, () => {
  let server: RedisProcess;
  let nodeA: RedisClient;
  let nodeB: RedisClient;

  before(async () => {
    server = await RedisProcess.start();
    nodeA = await commandConnection(server.url, 'registry-a');
    nodeB = await commandConnection(server.url, 'registry-b');
  });
  after(async () => {
    nodeA?.disconnect();
    nodeB?.disconnect();
    await server?.dispose();
  });

  it('stores a new talk once, and another node reads the same record back', async () => {
    assert.equal(await registerTalk(nodeA, record('REG234')), 'created');
    assert.deepEqual(await readTalk(nodeB, 'REG234'), record('REG234'));
    assert.ok((await nodeB.smembers('ld:talks')).includes('REG234'));
  });

  it('accepts the same keys and deck again, keeping when it was created (a restarted presenter node)', async () => {
    await registerTalk(nodeA, record('SAME23'));
    assert.equal(await registerTalk(nodeB, record('SAME23', { created: 5, deckTitle: 'Renamed', bundleBytes: 99, bundled: false })), 'unchanged');
    assert.deepEqual(await readTalk(nodeA, 'SAME23'), record('SAME23', { deckTitle: 'Renamed', bundleBytes: 99, bundled: false }));
  });

  it('refuses other key hashes or another deck, keeping the stored record, unless told to replace', async () => {
    await registerTalk(nodeA, record('KEYS23'));
    await assert.rejects(registerTalk(nodeB, record('KEYS23', { presenterKeyHash: 'd'.repeat(64) })), (err: unknown) => {
      assert.ok(err instanceof TalkConflict);
      assert.equal(err.differs, 'keys');
      assert.match(err.message, /KEYS23.*other presenter or moderator keys.*--replace/);
      return true;
    });
    await assert.rejects(registerTalk(nodeB, record('KEYS23', { deckHash: 'e'.repeat(64) })), (err: unknown) => err instanceof TalkConflict && err.differs === 'deck');
    assert.deepEqual(await readTalk(nodeA, 'KEYS23'), record('KEYS23'));

    const taken = record('KEYS23', { presenterKeyHash: 'd'.repeat(64), deckHash: 'e'.repeat(64), deckTitle: 'v2', created: 7 });
    assert.equal(await registerTalk(nodeB, taken, { replace: true }), 'replaced');
    assert.deepEqual(await readTalk(nodeA, 'KEYS23'), taken);
  });

  it('lets exactly one of two nodes registering at once create the talk', async () => {
    const results = await Promise.allSettled([registerTalk(nodeA, record('RACE23')), registerTalk(nodeB, record('RACE23', { deckHash: 'f'.repeat(64) }))]);
    const created = results.filter((r) => r.status === 'fulfilled' && r.value === 'created');
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof TalkConflict);
    assert.equal(created.length, 1);
    assert.equal(refused.length, 1);
  });

  it('refuses a malformed record before writing anything', async () => {
    await assert.rejects(registerTalk(nodeA, record('BAD234', { deckHash: 'not hex' })), TalkRecordInvalid);
    await assert.rejects(registerTalk(nodeA, record('BAD 2')), TalkRecordInvalid);
    assert.equal(await readTalk(nodeA, 'BAD234'), null);
    assert.equal(await nodeA.sismember('ld:talks', 'BAD234'), 0);
  });

  it('names the field when a stored record cannot be read', async () => {
    await nodeA.hset(talkKey('HAND23'), { code: 'HAND23', presenterKeyHash: 'a'.repeat(64) });
    await assert.rejects(readTalk(nodeB, 'HAND23'), /HAND23 in Redis has no "moderatorKeyHash"/);
    await nodeA.del(talkKey('HAND23'));
  });

  it('picks the only talk for `livedeck serve`, and asks for --talk when there are several', async () => {
    await nodeA.flushall();
    await assert.rejects(chooseTalk(nodeB), (err: unknown) => err instanceof TalkChoiceError && /No talk is registered/.test(err.message));
    await registerTalk(nodeA, record('ONE234'));
    assert.equal((await chooseTalk(nodeB)).code, 'ONE234');
    await registerTalk(nodeA, record('TWO234'));
    await assert.rejects(chooseTalk(nodeB), /Several talks are registered in Redis \(ONE234, TWO234\); pass --talk CODE/);
    assert.equal((await chooseTalk(nodeB, 'TWO234')).code, 'TWO234');
    await assert.rejects(chooseTalk(nodeB, 'NOPE23'), /No talk NOPE23 is registered/);
  });

  it('lists only talks whose record is still there', async () => {
    await nodeA.flushall();
    await registerTalk(nodeA, record('LIST23'));
    await nodeA.sadd('ld:talks', 'GONE23');
    assert.deepEqual((await listTalks(nodeB)).map((t) => t.code), ['LIST23']);
  });
});
