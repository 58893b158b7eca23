import type { AppendResult, NewEvent, Store, StoredEvent, TalkRecord } from './types.ts';

/** The store for tests and for `--data-dir` off: same contract as SQLite, nothing on disk. */
export class MemoryStore implements Store {
  private readonly talks = new Map<string, TalkRecord>();
  private readonly logs = new Map<string, StoredEvent[]>();
  private readonly keys = new Map<string, StoredEvent>();

  findTalkByDeck(deckSource: string): TalkRecord | null {
    for (const t of this.talks.values()) if (t.deckSource === deckSource) return t;
    return null;
  }

  saveTalk(record: TalkRecord): void {
    this.talks.set(record.code, { ...record });
  }

  append(talk: string, event: NewEvent): AppendResult {
    const idem = event.key === null ? null : `${talk}\u0000${event.participant ?? ''}\u0000${event.key}`;
    const existing = idem ? this.keys.get(idem) : undefined;
    if (existing) return { event: existing, duplicate: true };
    const log = this.logs.get(talk) ?? [];
    this.logs.set(talk, log);
    const stored: StoredEvent = { ...event, seq: this.lastSeq(talk) + 1, at: Date.now() };
    log.push(stored);
    if (idem) this.keys.set(idem, stored);
    return { event: stored, duplicate: false };
  }

  events(talk: string, afterSeq: number, limit = Number.MAX_SAFE_INTEGER): StoredEvent[] {
    return (this.logs.get(talk) ?? []).filter((e) => e.seq > afterSeq).slice(0, limit);
  }

  lastSeq(talk: string): number {
    const log = this.logs.get(talk);
    return log?.length ? log[log.length - 1]!.seq : 0;
  }

  close(): void {
    this.logs.clear();
  }
}
