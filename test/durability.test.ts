/**
 * Durability and recovery with the real `livedeck` command in a child process: restarts,
 * kill -9 in the middle of a write burst, a torn write-ahead log, and SIGTERM with many clients.
 * LIVEDECK_SOAK=1 runs the kill -9 test 20 times (npm run test:soak); otherwise 3.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import { DATABASE_FILE } from '../server/store/sqlite.ts';
import { freePort, spawnServer, type ChildServer } from './support/child-server.ts';
import { TestClient } from './support/client.ts';
import { SMALL_DECK } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });
const SOAK = process.env.LIVEDECK_SOAK === '1';
const CLIENTS = 200;

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'livedeck-durability-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A deck with one slide per writer, so each client's moves are its own. */
function bigDeck(): string {
  const path = join(tmp, 'big.md');
  writeFileSync(path, Array.from({ length: CLIENTS }, (_, i) => `# Slide ${i}`).join('\n\n---\n\n'));
  return path;
}

function storedDeckEvents(dataDir: string): Array<{ seq: number; state: DeckState }> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT seq, data FROM events WHERE kind = 'deck' ORDER BY seq").all() as Array<{ seq: number; data: string }>).map(
      (r) => ({ seq: r.seq, state: JSON.parse(r.data) as DeckState }),
    );
  } finally {
    db.close();
  }
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function stop(server: ChildServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

describe('restart with the same data dir', () => {
  it('brings back the same join code, presenter link and slide', async () => {
    const dataDir = join(tmp, 'restart');
    const port = await freePort();
    const first = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, first.code, 'presenter', first.presenterKey);
    presenter.send({ type: 'goto', state: at(2, 1) });
    await presenter.next('deck');
    presenter.close();
    first.child.kill('SIGTERM');
    await first.exited;
    assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

    const second = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    try {
      assert.equal(second.code, first.code);
      assert.equal(second.presenterKey, first.presenterKey);
      const back = await TestClient.join(port, second.code, 'presenter', second.presenterKey);
      assert.equal(back.messages.length, 0);
      back.close();
      const phone = await TestClient.connect(port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: second.code });
      assert.deepEqual((await phone.next('welcome')).deck, at(2, 1));
      phone.close();
    } finally {
      await stop(second);
    }
  });
});

describe('kill -9 during a burst of writes from 200 clients', () => {
  const iterations = SOAK ? 20 : 3;
  it(`stores every acknowledged move exactly once, ${iterations} times over (acknowledged ⊆ stored ⊆ sent)`, { timeout: iterations * 30_000 }, async () => {
    const deck = bigDeck();
    const dataDir = join(tmp, 'kill9');
    const port = await freePort();
    let lastStoredSeq = 0;
    let totals = { sent: 0, acked: 0 };
    for (let round = 0; round < iterations; round++) {
      // Per round: the stored events of this round are those after the previous round's.
      const sent = new Set<string>();
      const acked = new Set<string>();
      const server = await spawnServer(deck, port, ['--data-dir', dataDir]);
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => TestClient.join(port, server.code, 'presenter', server.presenterKey)));
      let killed = false;
      // Each client i moves to slide i with fragment n = 0, 1, 2…: (i, n) names every write of a round.
      const writers = clients.map(async (client, i) => {
        for (let n = 0; !killed; n++) {
          const item = `${i}/${n}`;
          sent.add(item);
          try {
            client.send({ type: 'goto', state: at(i, 0, n) });
          } catch {
            return;
          }
          // The presenter's own move coming back is the acknowledgement: it is broadcast after commit.
          const deadline = Date.now() + 5000;
          for (;;) {
            const index = client.messages.findIndex((m) => m.type === 'deck' && m.state.indexh === i && m.state.indexf === n);
            if (index >= 0) {
              acked.add(item);
              client.messages.length = 0;
              break;
            }
            if (killed || client.closeCode !== null || Date.now() > deadline) return;
            client.messages.length = 0;
            await new Promise((r) => setTimeout(r, 5));
          }
          await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
        }
      });
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1200));
      server.child.kill('SIGKILL');
      killed = true;
      await server.exited;
      await Promise.all(writers);
      for (const c of clients) c.ws.terminate();

      const all = storedDeckEvents(dataDir);
      assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1), 'seqs are contiguous');
      const stored = all.slice(lastStoredSeq);
      const keys = stored.map((e) => `${e.state.indexh}/${e.state.indexf}`);
      assert.equal(new Set(keys).size, keys.length, 'no move is stored twice');
      for (const key of keys) assert.ok(sent.has(key), `stored ${key} was sent`);
      for (const key of acked) assert.ok(keys.includes(key), `acknowledged ${key} is stored`);
      assert.ok(acked.size > 0, `round ${round + 1} acknowledged moves`);
      lastStoredSeq = all.length;
      totals = { sent: totals.sent + sent.size, acked: totals.acked + acked.size };
      console.log(`# kill -9 round ${round + 1}/${iterations}: sent ${sent.size}, acknowledged ${acked.size}, stored ${stored.length}`);
    }
    console.log(`# kill -9 total over ${iterations} rounds: sent ${totals.sent}, acknowledged ${totals.acked}, stored ${lastStoredSeq}`);
    assert.equal(integrity(dataDir), 'ok');
    const server = await spawnServer(deck, port, ['--data-dir', dataDir]);
    try {
      const phone = await TestClient.connect(port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
      const last = storedDeckEvents(dataDir).at(-1)!;
      assert.deepEqual((await phone.next('welcome')).deck, last.state, 'the restarted server shows the last stored slide');
      phone.close();
    } finally {
      await stop(server);
    }
  });
});

describe('a torn write-ahead log', () => {
  it('recovers to a prefix of the log and serves again', async () => {
    const dataDir = join(tmp, 'torn');
    const port = await freePort();
    const server = await spawnServer(bigDeck(), port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
    for (let n = 0; n < 150; n++) {
      presenter.send({ type: 'goto', state: at(n % CLIENTS, 0, n) });
      await presenter.next('deck');
      if (n % 25 === 24) await new Promise((r) => setTimeout(r, 1000));
    }
    server.child.kill('SIGKILL');
    await server.exited;
    const wal = join(dataDir, `${DATABASE_FILE}-wal`);
    const size = statSync(wal).size;
    const cut = Math.floor(size * (0.3 + Math.random() * 0.6));
    truncateSync(wal, cut);
    console.log(`# torn WAL: cut ${size} bytes to ${cut}`);

    const again = await spawnServer(bigDeck(), port, ['--data-dir', dataDir]);
    try {
      const stored = storedDeckEvents(dataDir);
      assert.ok(stored.length > 0 && stored.length <= 150, `kept ${stored.length} of 150`);
      assert.deepEqual(stored.map((e) => e.state.indexf), stored.map((_, i) => i), 'what survives is a prefix, in order');
      const phone = await TestClient.connect(port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: again.code });
      assert.deepEqual((await phone.next('welcome')).deck, stored.at(-1)!.state);
      const p = await TestClient.join(port, again.code, 'presenter', again.presenterKey);
      p.send({ type: 'goto', state: at(3) });
      assert.equal((await phone.next('deck')).seq, stored.length + 1, 'new moves continue the log');
      for (const c of [phone, p]) c.close();
    } finally {
      await stop(again);
    }
    assert.equal(integrity(dataDir), 'ok');
  });
});

describe('SIGTERM with 200 clients', () => {
  it('closes every client with 1001, keeps the data, exits within 5 s, and the clients come back', { timeout: 60_000 }, async () => {
    const dataDir = join(tmp, 'sigterm');
    const port = await freePort();
    const server = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
    const phones = await Promise.all(Array.from({ length: CLIENTS }, () => TestClient.join(port, server.code, 'audience')));
    presenter.send({ type: 'goto', state: at(3) });
    const lastSeq = (await presenter.next('deck')).seq;
    const started = Date.now();
    server.child.kill('SIGTERM');
    const codes = await Promise.all([presenter, ...phones].map((c) => c.waitClose(5000)));
    const exit = await server.exited;
    const took = Date.now() - started;
    console.log(`# SIGTERM: ${codes.length} clients closed, exit ${exit.code} after ${took} ms`);
    assert.ok(codes.every((c) => c === 1001), `close codes ${[...new Set(codes)].join(',')}`);
    assert.equal(exit.code, 0);
    assert.ok(took < 5000, `exited after ${took} ms`);
    assert.equal(statSync(join(dataDir, `${DATABASE_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0, 0, 'the log was checkpointed');

    const again = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    try {
      const back = await Promise.all(
        phones.map(async () => {
          const c = await TestClient.connect(port);
          c.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: again.code, lastSeq });
          return c;
        }),
      );
      for (const c of back) assert.deepEqual((await c.next('welcome', 10_000)).deck, at(3), 'a snapshot after a restart, at the same slide');
      for (const c of back) c.close();
    } finally {
      await stop(again);
    }
  });
});
