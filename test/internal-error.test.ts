import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../protocol/messages.ts';
import { SqliteStore } from '../server/store/sqlite.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

describe('a failing store', () => {
  it('costs the one message that hit it: the sender gets "internal", the server and the others carry on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livedeck-internal-'));
    const store = new SqliteStore(dir);
    const server = await startTestServer({ store });
    try {
      const phone = await TestClient.connect(server.port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'phone-internal-1' });
      await phone.next('welcome');
      const other = await TestClient.join(server.port, server.code, 'audience');

      // The database goes away under the running server (a real failure, not a mock).
      store.close();
      phone.send({ type: 'ask', key: 'k-1', text: 'Does this survive?', slide: { indexh: 0, indexv: 0, indexf: -1 } });
      const error = await phone.next('error');
      assert.equal(error.code, 'internal');
      assert.equal(error.ref, 'ask');
      assert.equal(phone.messages.filter((m) => m.type === 'ack').length, 0, 'nothing is acknowledged that was not stored');

      phone.send({ type: 'ping', t: 7 });
      assert.equal((await phone.next('pong')).t, 7, 'the connection is still usable');
      other.send({ type: 'ping', t: 8 });
      assert.equal((await other.next('pong')).t, 8, 'others do not notice');
      phone.close();
      other.close();
    } finally {
      await server.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
