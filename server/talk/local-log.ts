import { randomBytes } from 'node:crypto';
import type { NewEvent, Store, StoredEvent } from '../store/types.ts';
import type { Applier, Committed, Signals, TalkLog } from './log.ts';

/**
 * The single-node log: the store (SQLite, or memory) appends and the event is applied in the
 * same call, before `commit` returns its (already settled) promise. Nothing can run between a
 * handler's checks and the append, so the commit gate's rules are the handlers' own checks here.
 */
export class LocalLog implements TalkLog {
  private applier: Applier | null = null;
  readonly epoch: string;

  constructor(private readonly store: Store, private readonly talk: string, epoch?: string) {
    this.epoch = epoch ?? randomBytes(6).toString('base64url');
  }

  get applied(): number {
    return this.store.lastSeq(this.talk);
  }

  async start(apply: Applier): Promise<void> {
    this.replay(apply);
    this.applier = apply;
  }

  /** The synchronous part of start, for callers that replay without serving (the report CLI). */
  replay(apply: Applier): void {
    let after = 0;
    for (;;) {
      const batch = this.store.events(this.talk, after, 5000);
      if (batch.length === 0) break;
      for (const event of batch) {
        apply(event, false);
        after = event.seq;
      }
    }
  }

  commit(event: NewEvent): Promise<Committed> {
    let appended;
    try {
      appended = this.store.append(this.talk, event);
    } catch (err) {
      // A failed append (disk full) rejects like any commit, so callers' handlers see it.
      return Promise.reject(err);
    }
    const { event: stored, duplicate } = appended;
    if (!duplicate) this.applier?.(stored, true);
    return Promise.resolve({ seq: stored.seq, duplicate });
  }

  events(after: number, limit?: number): StoredEvent[] {
    return this.store.events(this.talk, after, limit);
  }

  /** One process numbers alone: a seq it has not reached was never issued by it (an old process, a wiped log). */
  vouchesFor(epoch: string | undefined, seq: number): boolean {
    return (epoch === undefined || epoch === this.epoch) && seq <= this.applied;
  }

  async close(): Promise<void> {
    this.applier = null;
  }
}

/** Signals within one process: delivered at once, in order. */
export class LocalSignals implements Signals {
  private readonly listeners = new Map<string, Array<(data: unknown) => void>>();

  publish(channel: string, data: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(data);
  }

  subscribe(channel: string, listener: (data: unknown) => void): void {
    const list = this.listeners.get(channel) ?? [];
    list.push(listener);
    this.listeners.set(channel, list);
  }
}
