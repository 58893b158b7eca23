import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, SqliteStore } from './sqlite.ts';
import { SecretsFile } from './secrets-file.ts';
import { MemoryStore } from './memory.ts';
import { openTalkIdentity } from '../talk/identity.ts';
import type { Store } from './types.ts';

const talkRecord = { code: 'ABC234', presenterKeyHash: 'a'.repeat(64), moderatorKeyHash: 'b'.repeat(64), deckSource: '/decks/talk.md', createdAt: 1 };

describe('SqliteStore', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'livedeck-store-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses WAL mode with synchronous NORMAL in a real file', () => {
    const store = new SqliteStore(join(dir, 'wal'));
    store.close();
    const db = new Database(join(dir, 'wal', DATABASE_FILE));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('assigns rising seqs per talk and reads them back after reopening', () => {
    const path = join(dir, 'seq');
    const store = new SqliteStore(path);
    assert.equal(store.append('T1', { kind: 'deck', data: { h: 1 }, participant: null, key: null }).event.seq, 1);
    assert.equal(store.append('T1', { kind: 'deck', data: { h: 2 }, participant: null, key: null }).event.seq, 2);
    assert.equal(store.append('T2', { kind: 'deck', data: { h: 9 }, participant: null, key: null }).event.seq, 1);
    store.close();
    const again = new SqliteStore(path);
    assert.equal(again.lastSeq('T1'), 2);
    assert.deepEqual(again.events('T1', 0).map((e) => e.data), [{ h: 1 }, { h: 2 }]);
    assert.deepEqual(again.events('T1', 1, 10).map((e) => e.seq), [2]);
    assert.equal(again.append('T1', { kind: 'x', data: null, participant: null, key: null }).event.seq, 3);
    again.close();
  });

  it('is committed when append returns: another connection sees it without a close', () => {
    const path = join(dir, 'commit');
    const store = new SqliteStore(path);
    store.append('T', { kind: 'q', data: 'hello', participant: 'p1', key: 'k1' });
    const reader = new Database(join(path, DATABASE_FILE), { readonly: true });
    assert.equal((reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 1);
    reader.close();
    store.close();
  });

  it('stores a (participant, key) once and returns the first event as a duplicate', () => {
    const store = new SqliteStore(join(dir, 'idem'));
    const first = store.append('T', { kind: 'q', data: 'one', participant: 'p1', key: 'k' });
    const again = store.append('T', { kind: 'q', data: 'two', participant: 'p1', key: 'k' });
    assert.equal(again.duplicate, true);
    assert.equal(again.event.seq, first.event.seq);
    assert.equal(again.event.data, 'one');
    assert.equal(store.append('T', { kind: 'q', data: 'x', participant: 'p2', key: 'k' }).duplicate, false, 'other participant');
    assert.equal(store.append('T2', { kind: 'q', data: 'x', participant: 'p1', key: 'k' }).duplicate, false, 'other talk');
    assert.equal(store.append('T', { kind: 'q', data: 'x', participant: 'p1', key: null }).duplicate, false, 'no key');
    assert.equal(store.append('T', { kind: 'q', data: 'x', participant: 'p1', key: null }).duplicate, false, 'no key, twice');
    assert.equal(store.lastSeq('T'), 4);
    store.close();
  });

  it('finds the talk of a deck and keeps only hashes', () => {
    const path = join(dir, 'talks');
    const store = new SqliteStore(path);
    assert.equal(store.findTalkByDeck('/decks/talk.md'), null);
    store.saveTalk(talkRecord);
    store.close();
    const again = new SqliteStore(path);
    assert.deepEqual(again.findTalkByDeck('/decks/talk.md'), talkRecord);
    again.close();
  });
});

describe('openTalkIdentity', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'livedeck-identity-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('brings back the same code and keys for the same deck and data dir', () => {
    const path = join(dir, 'same');
    const open = () => {
      const store = new SqliteStore(path);
      const id = openTalkIdentity({ store, deckSource: '/d/a.md', secrets: new SecretsFile(path) });
      store.close();
      return id;
    };
    const first = open();
    const second = open();
    assert.equal(first.origin, 'new');
    assert.equal(second.origin, 'restored');
    assert.equal(second.code, first.code);
    assert.equal(second.presenterKey, first.presenterKey);
    assert.equal(second.moderatorKey, first.moderatorKey);
  });

  it('writes secrets.json with mode 0600 and never puts raw keys in the database', () => {
    const path = join(dir, 'mode');
    const store = new SqliteStore(path);
    const id = openTalkIdentity({ store, deckSource: '/d/b.md', secrets: new SecretsFile(path) });
    store.close();
    assert.equal(statSync(join(path, 'secrets.json')).mode & 0o777, 0o600);
    const db = new Database(join(path, DATABASE_FILE), { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM talks').all());
    db.close();
    assert.ok(!dump.includes(id.presenterKey) && !dump.includes(id.moderatorKey));
  });

  it('keeps the talk but rotates the keys when secrets.json is lost', () => {
    const path = join(dir, 'lost');
    let store: Store = new SqliteStore(path);
    const first = openTalkIdentity({ store, deckSource: '/d/c.md', secrets: new SecretsFile(path) });
    store.close();
    rmSync(join(path, 'secrets.json'));
    store = new SqliteStore(path);
    const second = openTalkIdentity({ store, deckSource: '/d/c.md', secrets: new SecretsFile(path) });
    store.close();
    assert.equal(second.origin, 'rotated');
    assert.equal(second.code, first.code);
    assert.notEqual(second.presenterKey, first.presenterKey);
  });

  it('mints a fresh talk every time with a memory store', () => {
    const a = openTalkIdentity({ store: new MemoryStore(), deckSource: '/d/a.md', secrets: null });
    assert.equal(a.origin, 'new');
    assert.ok(a.presenterKey.length >= 43);
  });
});
