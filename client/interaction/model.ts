/**
 * What a page knows about the talk's questions and chat, fed by server messages. No DOM, so it
 * is unit-tested in Node. Messages older than the last snapshot are dropped; several messages of
 * one event share a seq, so an equal seq is accepted (the socket keeps them in order).
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import type { ChatLine, Question, QuestionState } from '../../protocol/qa.ts';

export type SortOrder = 'top' | 'recent';

/** Something to tell the person about their own question. */
export type Notice = { kind: 'answered' | 'approved' | 'hidden'; question: Question };

export const CHAT_KEEP = 300;

export class InteractionModel {
  readonly questions = new Map<string, Question>();
  chat: ChatLine[] = [];
  approveFirst = false;
  highlight: string | null = null;
  /** Ids of this participant's questions and of the ones they upvoted (server truth). */
  readonly mine = new Set<string>();
  readonly voted = new Set<string>();
  /** Votes sent but not yet confirmed: shown at once, so a tap feels instant. */
  readonly pendingVotes = new Map<string, boolean>();
  /** This participant's questions and chat are paused by the moderator (phones). */
  muted = false;
  /** Handles of the muted participants (staff). */
  mutedAuthors = new Set<string>();
  private floor = -1;

  /** Applies a message; returns whether anything shown may have changed, and notices for the person. */
  apply(message: ServerMessage): { changed: boolean; notices: Notice[] } {
    const notices: Notice[] = [];
    switch (message.type) {
      case 'qa_snapshot':
        this.floor = message.seq;
        this.questions.clear();
        this.mine.clear();
        this.voted.clear();
        for (const q of message.questions) this.put(q);
        this.approveFirst = message.approveFirst;
        this.highlight = message.highlight;
        return { changed: true, notices };
      case 'chat_snapshot':
        this.floor = message.seq;
        this.chat = message.lines.slice(-CHAT_KEEP);
        return { changed: true, notices };
      case 'question': {
        if (!this.fresh(message.seq)) break;
        const previous = this.questions.get(message.question.id);
        this.put(message.question);
        const notice = message.question.mine ? noticeFor(previous, message.question) : null;
        if (notice) notices.push(notice);
        return { changed: true, notices };
      }
      case 'question_removed':
        if (!this.fresh(message.seq)) break;
        this.questions.delete(message.id);
        this.mine.delete(message.id);
        this.voted.delete(message.id);
        this.pendingVotes.delete(message.id);
        if (this.highlight === message.id) this.highlight = null;
        return { changed: true, notices };
      case 'qa_state':
        if (!this.fresh(message.seq)) break;
        this.approveFirst = message.approveFirst;
        this.highlight = message.highlight;
        return { changed: true, notices };
      case 'chat_line':
        if (!this.fresh(message.seq)) break;
        if (!this.chat.some((l) => l.id === message.line.id)) this.chat = [...this.chat, message.line].slice(-CHAT_KEEP);
        return { changed: true, notices };
      case 'chat_removed':
        if (!this.fresh(message.seq)) break;
        this.chat = this.chat.filter((l) => l.id !== message.id);
        return { changed: true, notices };
      // Not seq-gated: each is absolute, and a welcome's snapshots are older than the mute told right after them.
      case 'muted':
        this.muted = message.muted;
        return { changed: true, notices };
      case 'mutes':
        this.mutedAuthors = new Set(message.authors);
        return { changed: true, notices };
      default:
        break;
    }
    return { changed: false, notices };
  }

  private fresh(seq: number): boolean {
    if (seq < this.floor) return false;
    this.floor = seq;
    return true;
  }

  private put(q: Question): void {
    this.questions.set(q.id, q);
    if (q.mine) this.mine.add(q.id);
    if (q.voted !== undefined) {
      if (q.voted) this.voted.add(q.id);
      else this.voted.delete(q.id);
      this.pendingVotes.delete(q.id);
    }
  }

  /** Whether the person's vote is on, counting one still on its way. */
  hasVoted(id: string): boolean {
    return this.pendingVotes.get(id) ?? this.voted.has(id);
  }

  /** The count to show, counting this person's vote still on its way. */
  votes(q: Question): number {
    const pending = this.pendingVotes.get(q.id);
    if (pending === undefined || pending === this.voted.has(q.id)) return q.votes;
    return Math.max(0, q.votes + (pending ? 1 : -1));
  }

  /** Questions in display order: open ones first, then answered; `states` filters. */
  list(order: SortOrder, states?: readonly QuestionState[]): Question[] {
    const rank = (q: Question) => (q.state === 'answered' ? 1 : 0);
    return [...this.questions.values()]
      .filter((q) => !states || states.includes(q.state))
      .sort((a, b) => rank(a) - rank(b) || (order === 'top' ? this.votes(b) - this.votes(a) : 0) || b.at - a.at || (a.id < b.id ? 1 : -1));
  }

  /** The asker may still edit or withdraw it: theirs, and answered in neither way. */
  canChange(q: Question): boolean {
    return this.mine.has(q.id) && q.state !== 'answered' && q.answer === undefined;
  }

  count(state: QuestionState): number {
    let n = 0;
    for (const q of this.questions.values()) if (q.state === state) n++;
    return n;
  }
}

function noticeFor(previous: Question | undefined, q: Question): Notice | null {
  if (previous === undefined) return null;
  if (q.answer && q.answer.text !== previous.answer?.text) return { kind: 'answered', question: q };
  const before = previous.state;
  if (before === q.state) return null;
  if (q.state === 'answered') return { kind: 'answered', question: q };
  if (q.state === 'visible' && before === 'pending') return { kind: 'approved', question: q };
  if (q.state === 'hidden') return { kind: 'hidden', question: q };
  return null;
}
