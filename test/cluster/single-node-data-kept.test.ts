import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StartError } from '../../server/start.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { TestClient } from '../support/client.ts';
import { RedisProcess, redisMissing } from '../support/redis-server.ts';
import { startTestServer } from '../support/server.ts';

/**
 * A speaker who ran a talk on one laptop and restarts it with --redis to scale out: the node
 * would keep its copy of the Redis log in that data directory, over the single-node log. It
 * refuses to start instead, and the talk's data stays.
 */
describe('cluster mode on a single-node data directory', { skip: redisMissing() ?? false, timeout: 60_000 }, () => {
  it('refuses to start, says why, and leaves the single-node log as it was', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'livedeck-single-then-cluster-'));
    const redis = await RedisProcess.start();
    try {
      const single = await startTestServer({ dataDir });
      const presenter = await TestClient.join(single.port, single.code, 'presenter', single.presenterKey);
      presenter.send({ type: 'goto', state: { indexh: 1, indexv: 0, indexf: -1, paused: false, overview: false } });
      await presenter.next('deck');
      presenter.close();
      await single.close();
      const count = (): number => {
        const store = new SqliteStore(dataDir);
        try {
          return store.lastSeq(single.code);
        } finally {
          store.close();
        }
      };
      const before = count();
      assert.ok(before > 0);
      await assert.rejects(startTestServer({ dataDir, cluster: { redis: redis.url } }), (err: unknown) => err instanceof StartError && /single-node log \(\d+ events\).*another --data-dir/.test(err.message));
      assert.equal(count(), before, 'not one event lost');
    } finally {
      await redis.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
