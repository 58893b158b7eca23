/**
 * Shutdown through the speaker's own command: `npm start -- <deck>` in its own process group,
 * stopped by a SIGTERM to the whole group (what a terminal's Ctrl+C and service managers send).
 * No wrapper between npm and the server may kill it mid-shutdown: the tsx command-line wrapper
 * did, leaving clients with 1006 and the write-ahead log un-checkpointed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { DeckState } from '../protocol/messages.ts';
import { DATABASE_FILE } from '../server/store/sqlite.ts';
import { freePort, watchServer } from './support/child-server.ts';
import { TestClient } from './support/client.ts';
import { SMALL_DECK } from './support/server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLIENTS = 1000;
const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'livedeck-npm-start-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** True while any process of the group is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('npm start, stopped by a SIGTERM to its process group', () => {
  it(`closes all ${CLIENTS} clients with 1001 and checkpoints the write-ahead log before exiting`, { timeout: 90_000 }, async () => {
    const dataDir = join(tmp, 'data');
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent', '--', SMALL_DECK, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives a command: the SIGTERM below reaches npm, the
      // shell npm runs and the server at once.
      detached: true,
    });
    const pgid = npm.pid!;
    try {
      const server = await watchServer(npm, port, 30_000);
      const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
      const phones: TestClient[] = [];
      for (let i = 0; i < CLIENTS - 1; i += 100) {
        phones.push(...(await Promise.all(Array.from({ length: Math.min(100, CLIENTS - 1 - i) }, () => TestClient.join(port, server.code, 'audience')))));
      }
      // Moves written to the log since the last checkpoint, so there is something to checkpoint.
      for (const slide of [1, 2, 3]) {
        presenter.send({ type: 'goto', state: at(slide) });
        await presenter.next('deck');
      }
      assert.ok((statSync(join(dataDir, `${DATABASE_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0) > 0, 'the log holds the moves before the SIGTERM');

      const started = Date.now();
      process.kill(-pgid, 'SIGTERM');
      const codes = await Promise.all([presenter, ...phones].map((c) => c.waitClose(10_000)));
      assert.ok(await groupGone(pgid, 10_000), 'every process of the group exited');
      const took = Date.now() - started;
      const counts = new Map<number, number>();
      for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
      console.log(`# npm start, SIGTERM to the group: ${codes.length} clients closed (${[...counts].map(([c, n]) => `${n} x ${c}`).join(', ')}), all processes gone after ${took} ms`);

      assert.deepEqual([...counts], [[1001, CLIENTS]], 'every client got 1001 (going away)');
      assert.match(server.output(), new RegExp(`SIGTERM, closing ${CLIENTS} connections`));
      assert.equal(statSync(join(dataDir, `${DATABASE_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0, 0, 'the log was checkpointed into the database');
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
      try {
        const last = db.prepare("SELECT data FROM events WHERE kind = 'deck' ORDER BY seq DESC LIMIT 1").get() as { data: string };
        // A deck event is the state plus the connection that moved (origin).
        const { origin, ...state } = JSON.parse(last.data) as { origin?: string };
        assert.deepEqual(state, at(3), 'the last move is in the database file');
        assert.equal(typeof origin, 'string');
      } finally {
        db.close();
      }
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  });
});
