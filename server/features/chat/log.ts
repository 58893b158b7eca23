/**
 * The chat of one talk, in memory, rebuilt from the event log. A line's id is derived from
 * the seq of the event that sent it, so ids are the same after a restart.
 */
import { SeenKeys } from '../seen-keys.ts';
import { QA_LIMITS, type ChatLine } from '../../../protocol/qa.ts';
import type { StoredEvent } from '../../store/types.ts';
import { authorOf } from '../mute/author.ts';

export const CHAT_EVENTS = { sent: 'chat.sent', deleted: 'chat.deleted' } as const;

export interface SentData {
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

export const chatLineId = (seq: number) => `c${seq}`;

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
      const line: StoredLine = { id: chatLineId(event.seq), text: data.text, name: data.name, at: event.at, sender: event.participant ?? '' };
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
