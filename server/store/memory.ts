import type { AppendResult, NewEvent, Store, StoredEvent, TalkRecord } from './types.ts';

/** The store for tests and for `--data-dir` off: same contract as SQLite, nothing on disk. */
export class MemoryStore implements Store {
  private readonly talks = new Map<string, TalkRecord>();
  private readonly logs = new Map<string, StoredEvent[]>();
  private readonly keys = new Map<string, StoredEvent>();
  private readonly gateMap = new Map<string, Map<number, string>>();
  private readonly metas = new Map<string, string>();

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

  insert(talk: string, event: StoredEvent, gate?: string | null): void {
    const log = this.logs.get(talk) ?? [];
    this.logs.set(talk, log);
    if (log.length && log[log.length - 1]!.seq >= event.seq) throw new Error(`seq ${event.seq} is not after ${log[log.length - 1]!.seq}`);
    const stored = { ...event };
    log.push(stored);
    if (event.key !== null) this.keys.set(`${talk}\u0000${event.participant ?? ''}\u0000${event.key}`, stored);
    if (gate) {
      const gates = this.gateMap.get(talk) ?? new Map<number, string>();
      this.gateMap.set(talk, gates);
      gates.set(event.seq, gate);
    }
  }

  gates(talk: string, afterSeq: number, throughSeq: number): Map<number, string> {
    const out = new Map<number, string>();
    for (const [seq, gate] of this.gateMap.get(talk) ?? []) if (seq > afterSeq && seq <= throughSeq) out.set(seq, gate);
    return out;
  }

  truncate(talk: string, afterSeq: number): void {
    const log = this.logs.get(talk) ?? [];
    for (const e of log) if (e.seq > afterSeq && e.key !== null) this.keys.delete(`${talk}\u0000${e.participant ?? ''}\u0000${e.key}`);
    this.logs.set(talk, log.filter((e) => e.seq <= afterSeq));
    const gates = this.gateMap.get(talk);
    if (gates) for (const seq of [...gates.keys()]) if (seq > afterSeq) gates.delete(seq);
  }

  meta(talk: string, name: string): string | null {
    return this.metas.get(`${talk}\u0000${name}`) ?? null;
  }

  setMeta(talk: string, name: string, value: string): void {
    this.metas.set(`${talk}\u0000${name}`, value);
  }

  close(): void {
    this.logs.clear();
  }
}
