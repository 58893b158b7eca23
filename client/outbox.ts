/**
 * Writes that must not be lost (a question, a vote, a chat line) go through an outbox: kept in
 * localStorage until the server acknowledges their key, and sent again after every reconnect.
 * The server stores a (participant, key) once, so resending is always safe.
 *
 * Generic over the message: any client message with a `key` (questions, upvotes, chat, poll ballots).
 */

/** The part of Storage the outbox uses (injectable for tests). */
export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem'>;

interface Entry<M> {
  message: M;
  /** Epoch ms when first queued. */
  at: number;
}

export interface OutboxOptions<M> {
  /** localStorage key, e.g. `livedeck.outbox.<talk>`: one outbox per talk and page. */
  storageKey: string;
  /** Sends now if the link is up; false when it is not (the message waits for flush()). */
  transport(message: M): boolean;
  /** Defaults to localStorage; null keeps the outbox in memory (private modes, tests). */
  storage?: OutboxStorage | null;
  /** Entries older than this are given up on (e.g. a question from yesterday's talk). */
  maxAgeMs?: number;
  /** At most this many entries are kept (the oldest go first). */
  maxEntries?: number;
  now?: () => number;
}

export class Outbox<M extends { key: string }> {
  private entries: Entry<M>[] = [];
  private readonly storage: OutboxStorage | null;
  private readonly now: () => number;

  constructor(private readonly options: OutboxOptions<M>) {
    this.now = options.now ?? Date.now;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.entries = this.load();
  }

  /** Queues and sends at once if possible; kept until ack(key) or reject(key). */
  send(message: M): void {
    if (!this.entries.some((e) => e.message.key === message.key)) {
      this.entries.push({ message, at: this.now() });
      this.trim();
      this.save();
    }
    this.options.transport(message);
  }

  /** The server stored it: forget it. True if it was waiting. */
  ack(key: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.message.key !== key);
    if (this.entries.length === before) return false;
    this.save();
    return true;
  }

  /** The server refused it for good (too long, rate limited…): forget it too. */
  reject(key: string): boolean {
    return this.ack(key);
  }

  /** Resends everything not yet acknowledged, oldest first: call after every (re)connect. */
  flush(): void {
    this.trim();
    for (const entry of this.entries) {
      if (!this.options.transport(entry.message)) break;
    }
  }

  has(key: string): boolean {
    return this.entries.some((e) => e.message.key === key);
  }

  pending(): M[] {
    return this.entries.map((e) => e.message);
  }

  private trim(): void {
    const maxAge = this.options.maxAgeMs ?? 6 * 60 * 60 * 1000;
    const maxEntries = this.options.maxEntries ?? 100;
    const now = this.now();
    this.entries = this.entries.filter((e) => now - e.at < maxAge).slice(-maxEntries);
  }

  private load(): Entry<M>[] {
    if (!this.storage) return [];
    try {
      const raw = this.storage.getItem(this.options.storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e): e is Entry<M> =>
          typeof e === 'object' && e !== null && typeof e.at === 'number' && typeof e.message?.key === 'string',
      );
    } catch (err) {
      console.warn('livedeck: outbox storage unreadable, starting empty', err);
      return [];
    }
  }

  private save(): void {
    if (!this.storage) return;
    try {
      this.storage.setItem(this.options.storageKey, JSON.stringify(this.entries));
    } catch (err) {
      // Full or refused storage: the entry still lives in memory and is resent while the page is open.
      console.warn('livedeck: outbox not saved', err);
    }
  }
}

function defaultStorage(): OutboxStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Some private modes throw on the mere access.
    return null;
  }
}
