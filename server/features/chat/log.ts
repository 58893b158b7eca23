/**
 * The chat of one talk, in memory, rebuilt from the event log. A line's id is chosen when it is
 * sent (from its sender and key) and carried in the event, so it is the same after a restart
 * and on every node, even when a cluster's restore gives the event another seq.
 */
import { createHash } from 'node:crypto';
import { SeenKeys } from '../seen-keys.ts';
import { QA_LIMITS, type ChatLine } from '../../../protocol/qa.ts';
import type { StoredEvent } from '../../store/types.ts';
import { authorOf } from '../mute/author.ts';

export const CHAT_EVENTS = { sent: 'chat.sent', deleted: 'chat.deleted' } as const;

export interface SentData {
  /** Absent in logs written before ids were carried: the line's id is then derived from the seq. */
  id?: string;
  text: string;
  name: string | null;
}
export interface DeletedData {
  id: string;
}

export interface StoredLine {
  id: string;
  text: string;
  name: string | null;
  at: number;
  sender: string;
}

export type ChatChange = { kind: 'sent'; line: StoredLine } | { kind: 'deleted'; line: StoredLine } | { kind: 'none' };

/** The id of a line in an old log (before the id was carried in the event). */
export const chatLineId = (seq: number) => `c${seq}`;

/** A line's id from who sent it and the write's key: the same on every node and after a re-commit. */
export function sentLineId(participant: string, key: string): string {
  return `c-${createHash('sha256').update(`chat\n${participant}\n${key}`).digest('base64url').slice(0, 12)}`;
}

export class ChatLog {
  /** In sending order. Kept whole (the export wants it all); only the tail is sent to clients. */
  private readonly lines = new Map<string, StoredLine>();
  private readonly keys = new SeenKeys();
  /** Everyone who ever sent a line: only they see more than a stranger does (mine). */
  private readonly senders = new Set<string>();

  get(id: string): StoredLine | undefined {
    return this.lines.get(id);
  }

  all(): StoredLine[] {
    return [...this.lines.values()];
  }

  /** The seq a (participant, key) write was applied at, if it was: a resend is acknowledged, not re-applied or rate limited. */
  seenKey(participant: string, key: string): number | undefined {
    return this.keys.get(participant, key);
  }

  /** False when `participant` sees the chat exactly as any newcomer does. */
  involves(participant: string): boolean {
    return this.senders.has(participant);
  }

  apply(event: StoredEvent): ChatChange {
    this.keys.note(event);
    if (event.kind === CHAT_EVENTS.sent) {
      const data = event.data as SentData;
      const id = data.id ?? chatLineId(event.seq);
      // The same line committed again (a cluster's restore re-submitting it) changes nothing.
      if (this.lines.has(id)) return { kind: 'none' };
      const line: StoredLine = { id, text: data.text, name: data.name, at: event.at, sender: event.participant ?? '' };
      this.lines.set(line.id, line);
      this.senders.add(line.sender);
      return { kind: 'sent', line };
    }
    if (event.kind === CHAT_EVENTS.deleted) {
      const line = this.lines.get((event.data as DeletedData).id);
      if (!line) return { kind: 'none' };
      this.lines.delete(line.id);
      return { kind: 'deleted', line };
    }
    return { kind: 'none' };
  }

  /** `staff` adds the sender's handle (for `mute`). */
  view(line: StoredLine, viewer?: string | null, staff = false): ChatLine {
    const out: ChatLine = { id: line.id, text: line.text, name: line.name, at: line.at };
    if (viewer && line.sender === viewer) out.mine = true;
    if (staff) out.author = authorOf(line.sender);
    return out;
  }

  /** The newest lines, oldest first. */
  tail(viewer: string | null, staff = false, limit: number = QA_LIMITS.chatSnapshot): ChatLine[] {
    return this.all().slice(-limit).map((line) => this.view(line, viewer, staff));
  }
}
