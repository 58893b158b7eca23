import type { Role, ServerMessage } from '../../protocol/messages.ts';

export interface ResumeOptions {
  /** Most messages kept per talk. */
  maxMessages?: number;
  /** Oldest message kept, in milliseconds. */
  maxAgeMs?: number;
}

const DEFAULTS: Required<ResumeOptions> = { maxMessages: 1000, maxAgeMs: 2 * 60_000 };

interface Entry {
  seq: number;
  /** Roles it was sent to; null for everyone. */
  roles: readonly Role[] | null;
  message: ServerMessage;
  at: number;
  /** The message as JSON, made the first time a resume needs it and then shared by every resume. */
  json?: string;
}

/**
 * A bounded ring of one talk's recently broadcast seq'd messages, with the roles each was
 * sent to. A client that reconnects with `lastSeq` gets exactly what it missed, if the ring
 * still covers it; otherwise `missedSince` says "unknown" and the client gets a snapshot.
 */
export class ResumeBuffer {
  private readonly options: Required<ResumeOptions>;
  private readonly entries: Entry[] = [];
  private head = 0;
  /** Everything broadcast with a seq above `floor` is still in the ring. */
  private floor: number;

  /** `startSeq` is the talk's seq when this process started: older history is not here. */
  constructor(
    private startSeq: number,
    options: ResumeOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.floor = startSeq;
  }

  /** The log was replayed up to `seq` without broadcasting: the ring knows nothing older. */
  restartAt(seq: number): void {
    this.entries.length = 0;
    this.head = 0;
    this.startSeq = seq;
    this.floor = seq;
  }

  record(message: ServerMessage, roles: readonly Role[] | null): void {
    if (!('seq' in message)) return;
    this.entries.push({ seq: message.seq, roles, message, at: Date.now() });
    this.trim();
  }

  /**
   * The messages with seq > lastSeq that `role` was sent, oldest first, as JSON; or null when
   * the ring cannot vouch for the whole gap (too old, from before a restart, or from the future).
   * A lastSeq equal to the start seq counts as unknown: it may come from a previous process.
   * Each message is serialised the first time a resume needs it, then shared by every resume.
   */
  missedSince(lastSeq: number, role: Role, currentSeq: number): string[] | null {
    this.trim();
    if (!Number.isInteger(lastSeq) || lastSeq <= this.startSeq || lastSeq < this.floor || lastSeq > currentSeq) return null;
    const missed: string[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.seq > lastSeq && (entry.roles === null || entry.roles.includes(role))) missed.push((entry.json ??= JSON.stringify(entry.message)));
    }
    return missed;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  private trim(): void {
    const oldest = Date.now() - this.options.maxAgeMs;
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head]!;
      if (this.entries.length - this.head <= this.options.maxMessages && entry.at >= oldest) break;
      this.floor = Math.max(this.floor, entry.seq);
      this.head++;
    }
    // Compact now and then instead of shifting on every eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
