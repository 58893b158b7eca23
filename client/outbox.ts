/**
 * Writes that must not be lost (a question, a vote, a chat line) go through an outbox: kept in
 * localStorage until the server acknowledges their key, and sent again after every reconnect.
 * The server stores a (participant, key) once, so resending is always safe.
 *
 * Generic over the message: any client message with a `key` (questions, upvotes, chat, poll ballots).
 *
 * In cluster mode the server may answer a write with `unavailable` (it cannot store now): that
 * entry stays and is sent again on the same link after `retryAfterMs`, or after 0.5 s doubling
 * to 5 s, jittered (a room of phones must not retry in step), until it is acked or refused.
 */
import type { ErrorMessage } from '../protocol/messages.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';

/** Retries of a write the server could not store: 0.5 s, doubling to 5 s, jittered. */
export const UNAVAILABLE_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 5000 };

/** The timers the outbox uses (injectable for tests). */
export interface OutboxTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: OutboxTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Either a retry is due later, or the server refused the write for good and forgot nothing else. */
export type ErrorOutcome = 'retrying' | 'refused' | 'unknown';

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
  timers?: OutboxTimers;
  random?: () => number;
}

interface Retry {
  attempt: number;
  timer: unknown;
}

export class Outbox<M extends { key: string }> {
  private entries: Entry<M>[] = [];
  private readonly storage: OutboxStorage | null;
  private readonly now: () => number;
  private readonly timers: OutboxTimers;
  /** Keys the server answered `unavailable`, with their next resend. */
  private readonly retries = new Map<string, Retry>();

  constructor(private readonly options: OutboxOptions<M>) {
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? realTimers;
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
    this.stopRetry(key);
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

  /**
   * The answer to an `error` that names one of this outbox's keys: `unavailable` keeps the entry
   * and sends it again later on the same link ('retrying'); any other code refuses it for good
   * ('refused', as reject). 'unknown' when the key is not waiting here (another outbox's).
   */
  error(error: Pick<ErrorMessage, 'code' | 'key' | 'retryAfterMs'>): ErrorOutcome {
    const key = error.key;
    if (key === undefined || !this.has(key)) return 'unknown';
    if (error.code !== 'unavailable') {
      this.reject(key);
      return 'refused';
    }
    const retry = this.retries.get(key) ?? { attempt: 0, timer: undefined };
    if (retry.timer !== undefined) this.timers.clear(retry.timer);
    retry.timer = this.timers.set(() => this.resend(key), this.retryDelay(retry.attempt++, error.retryAfterMs));
    this.retries.set(key, retry);
    return 'retrying';
  }

  /** Whether the server said it cannot store this key now (a page may say "Saving…"). */
  retrying(key: string): boolean {
    return this.retries.has(key);
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

  private resend(key: string): void {
    const retry = this.retries.get(key);
    if (retry) retry.timer = undefined;
    const entry = this.entries.find((e) => e.message.key === key);
    // Not sent when the link is down: the reconnect's flush sends it.
    if (entry) this.options.transport(entry.message);
  }

  /** The server's hint, jittered up by half so phones told the same time do not come back in step. */
  private retryDelay(attempt: number, retryAfterMs: number | undefined): number {
    const random = this.options.random ?? Math.random;
    if (retryAfterMs !== undefined) return Math.round(retryAfterMs * (1 + random() / 2));
    return backoffDelay(attempt, UNAVAILABLE_BACKOFF, random);
  }

  private stopRetry(key: string): void {
    const retry = this.retries.get(key);
    if (retry?.timer !== undefined) this.timers.clear(retry.timer);
    this.retries.delete(key);
  }

  private trim(): void {
    const maxAge = this.options.maxAgeMs ?? 6 * 60 * 60 * 1000;
    const maxEntries = this.options.maxEntries ?? 100;
    const now = this.now();
    this.entries = this.entries.filter((e) => now - e.at < maxAge).slice(-maxEntries);
    for (const key of this.retries.keys()) if (!this.has(key)) this.stopRetry(key);
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
