import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AppendResult, NewEvent, Store, StoredEvent, TalkRecord } from './types.ts';

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'livedeck.sqlite';

/**
 * The default store: one SQLite file in WAL mode.
 *
 * Durability: every append is its own transaction and is committed when `append` returns.
 * With `synchronous = NORMAL` in WAL mode a commit is in the WAL file (in the OS page cache)
 * before it returns, so it survives the process being killed (kill -9, a crash); only a power
 * loss or kernel panic can lose the last few commits, and never corrupts the database.
 * Set LIVEDECK_SQLITE_SYNC=FULL to fsync every commit if the machine itself may die.
 */
export class SqliteStore implements Store {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements;
  /** Single-writer cache of each talk's last seq (this process is the only writer). */
  private readonly seqs = new Map<string, number>();
  private readonly appendTx: (talk: string, event: NewEvent) => AppendResult;
  private readonly insertTx: (talk: string, event: StoredEvent, gate: string | null) => void;
  private readonly truncateTx: (talk: string, afterSeq: number) => void;

  /** Opens (creating if needed) the database in `dataDir`. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, DATABASE_FILE);
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${process.env.LIVEDECK_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS talks (
        code TEXT PRIMARY KEY,
        presenter_key_hash TEXT NOT NULL,
        moderator_key_hash TEXT NOT NULL,
        deck_source TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS talks_by_deck ON talks (deck_source);
      CREATE TABLE IF NOT EXISTS events (
        talk TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        participant TEXT,
        key TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (talk, seq)
      ) WITHOUT ROWID;
      -- Idempotency: one event per (talk, participant, key). A null key means no idempotency
      -- (SQLite treats NULLs as distinct); a null participant is the presenter/server.
      CREATE UNIQUE INDEX IF NOT EXISTS events_idempotency
        ON events (talk, coalesce(participant, ''), key) WHERE key IS NOT NULL;
      -- Cluster mirrors only: the commit gate an event was written under (kept for a restore),
      -- and small per-talk values (the epoch and lineage of the Redis log it mirrors).
      CREATE TABLE IF NOT EXISTS event_gates (
        talk TEXT NOT NULL,
        seq INTEGER NOT NULL,
        gate TEXT NOT NULL,
        PRIMARY KEY (talk, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS talk_meta (
        talk TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (talk, name)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      allTalks: this.db.prepare('SELECT code, presenter_key_hash, moderator_key_hash, deck_source, created_at FROM talks ORDER BY created_at DESC'),
      findTalk: this.db.prepare<[string]>(
        'SELECT code, presenter_key_hash, moderator_key_hash, deck_source, created_at FROM talks WHERE deck_source = ? ORDER BY created_at DESC LIMIT 1',
      ),
      saveTalk: this.db.prepare(
        `INSERT INTO talks (code, presenter_key_hash, moderator_key_hash, deck_source, created_at)
         VALUES (@code, @presenterKeyHash, @moderatorKeyHash, @deckSource, @createdAt)
         ON CONFLICT (code) DO UPDATE SET presenter_key_hash = excluded.presenter_key_hash,
           moderator_key_hash = excluded.moderator_key_hash, deck_source = excluded.deck_source`,
      ),
      byKey: this.db.prepare<[string, string, string]>(
        "SELECT * FROM events WHERE talk = ? AND coalesce(participant, '') = ? AND key = ?",
      ),
      insert: this.db.prepare(
        'INSERT INTO events (talk, seq, kind, data, participant, key, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      events: this.db.prepare<[string, number, number]>('SELECT * FROM events WHERE talk = ? AND seq > ? ORDER BY seq LIMIT ?'),
      eventsWithData: this.db.prepare<[string, string, number, number]>(
        "SELECT seq, kind, CASE WHEN kind IN (SELECT value FROM json_each(?)) THEN data ELSE 'null' END AS data, participant, key, at FROM events WHERE talk = ? AND seq > ? ORDER BY seq LIMIT ?",
      ),
      lastSeq: this.db.prepare<[string]>('SELECT max(seq) AS seq FROM events WHERE talk = ?'),
      insertGate: this.db.prepare('INSERT OR REPLACE INTO event_gates (talk, seq, gate) VALUES (?, ?, ?)'),
      gates: this.db.prepare<[string, number, number]>('SELECT seq, gate FROM event_gates WHERE talk = ? AND seq > ? AND seq <= ? ORDER BY seq'),
      truncateEvents: this.db.prepare<[string, number]>('DELETE FROM events WHERE talk = ? AND seq > ?'),
      truncateGates: this.db.prepare<[string, number]>('DELETE FROM event_gates WHERE talk = ? AND seq > ?'),
      meta: this.db.prepare<[string, string]>('SELECT value FROM talk_meta WHERE talk = ? AND name = ?'),
      setMeta: this.db.prepare('INSERT OR REPLACE INTO talk_meta (talk, name, value) VALUES (?, ?, ?)'),
    };
    this.insertTx = this.db.transaction((talk: string, event: StoredEvent, gate: string | null) => {
      this.statements.insert.run(talk, event.seq, event.kind, JSON.stringify(event.data ?? null), event.participant, event.key, event.at);
      if (gate) this.statements.insertGate.run(talk, event.seq, gate);
    });
    this.truncateTx = this.db.transaction((talk: string, afterSeq: number) => {
      this.statements.truncateEvents.run(talk, afterSeq);
      this.statements.truncateGates.run(talk, afterSeq);
    });
    this.appendTx = this.db.transaction((talk: string, event: NewEvent): AppendResult => {
      if (event.key !== null) {
        const row = this.statements.byKey.get(talk, event.participant ?? '', event.key) as EventRow | undefined;
        if (row) return { event: fromRow(row), duplicate: true };
      }
      const seq = this.lastSeq(talk) + 1;
      const at = Date.now();
      this.statements.insert.run(talk, seq, event.kind, JSON.stringify(event.data ?? null), event.participant, event.key, at);
      return { event: { ...event, seq, at }, duplicate: false };
    });
  }

  findTalkByDeck(deckSource: string): TalkRecord | null {
    const row = this.statements.findTalk.get(deckSource) as TalkRow | undefined;
    return row ? fromTalkRow(row) : null;
  }

  /** Every talk in this data dir, newest first (for `livedeck report <data-dir>`). */
  talks(): TalkRecord[] {
    return (this.statements.allTalks.all() as TalkRow[]).map(fromTalkRow);
  }

  saveTalk(record: TalkRecord): void {
    this.statements.saveTalk.run(record);
  }

  append(talk: string, event: NewEvent): AppendResult {
    let result: AppendResult;
    try {
      result = this.appendTx(talk, event);
    } catch (err) {
      // The transaction rolled back; the cached seq may be ahead of the file.
      this.seqs.delete(talk);
      throw err;
    }
    if (!result.duplicate) this.seqs.set(talk, result.event.seq);
    return result;
  }

  events(talk: string, afterSeq: number, limit = 1_000_000): StoredEvent[] {
    return (this.statements.events.all(talk, afterSeq, limit) as EventRow[]).map(fromRow);
  }

  eventsWithDataOf(talk: string, kinds: readonly string[], afterSeq: number, limit = 1_000_000): StoredEvent[] {
    return (this.statements.eventsWithData.all(JSON.stringify(kinds), talk, afterSeq, limit) as EventRow[]).map(fromRow);
  }

  lastSeq(talk: string): number {
    const cached = this.seqs.get(talk);
    if (cached !== undefined) return cached;
    const row = this.statements.lastSeq.get(talk) as { seq: number | null };
    const seq = row.seq ?? 0;
    this.seqs.set(talk, seq);
    return seq;
  }

  insert(talk: string, event: StoredEvent, gate: string | null = null): void {
    try {
      this.insertTx(talk, event, gate);
    } catch (err) {
      this.seqs.delete(talk);
      throw err;
    }
    const cached = this.seqs.get(talk);
    if (cached !== undefined && event.seq > cached) this.seqs.set(talk, event.seq);
  }

  gates(talk: string, afterSeq: number, throughSeq: number): Map<number, string> {
    const rows = this.statements.gates.all(talk, afterSeq, throughSeq) as { seq: number; gate: string }[];
    return new Map(rows.map((r) => [r.seq, r.gate]));
  }

  truncate(talk: string, afterSeq: number): void {
    this.truncateTx(talk, afterSeq);
    this.seqs.delete(talk);
  }

  meta(talk: string, name: string): string | null {
    const row = this.statements.meta.get(talk, name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(talk: string, name: string, value: string): void {
    this.statements.setMeta.run(talk, name, value);
  }

  close(): void {
    if (!this.db.open) return;
    // Folds the WAL into the main file so a clean stop leaves one self-contained file.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

interface TalkRow {
  code: string;
  presenter_key_hash: string;
  moderator_key_hash: string;
  deck_source: string;
  created_at: number;
}

interface EventRow {
  talk: string;
  seq: number;
  kind: string;
  data: string;
  participant: string | null;
  key: string | null;
  at: number;
}

function fromTalkRow(row: TalkRow): TalkRecord {
  return { code: row.code, presenterKeyHash: row.presenter_key_hash, moderatorKeyHash: row.moderator_key_hash, deckSource: row.deck_source, createdAt: row.created_at };
}

function fromRow(row: EventRow): StoredEvent {
  return { seq: row.seq, kind: row.kind, data: JSON.parse(row.data) as unknown, participant: row.participant, key: row.key, at: row.at };
}
