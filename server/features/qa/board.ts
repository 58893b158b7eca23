import { createHash } from 'node:crypto';
/**
 * The questions of one talk, in memory, rebuilt from the event log. Pure state: no sockets.
 * Every change comes in as a stored event (live or replayed), so a restart rebuilds exactly
 * what people saw, and a question's id is derived from the seq of the event that asked it.
 */
import { SeenKeys } from '../seen-keys.ts';
import { isPublic, QA_LIMITS, type ModerationAction, type Question, type QuestionState, type SlideRef } from '../../../protocol/qa.ts';
import type { QuestionAnswer } from '../../../protocol/qa-more.ts';
import type { StoredEvent } from '../../store/types.ts';
import { authorOf } from '../mute/author.ts';

export const QA_EVENTS = {
  asked: 'question.asked',
  voted: 'question.voted',
  moderated: 'question.moderated',
  mode: 'qa.mode',
  edited: 'question.edited',
  withdrawn: 'question.withdrawn',
  answerText: 'question.answer_text',
} as const;

export interface AskedData {
  /** The question's id, chosen when it was asked: it stays the same if the event is ever committed again under another seq. Absent in older logs (then q<seq>). */
  id?: string;
  text: string;
  name: string | null;
  slide: SlideRef;
  state: 'pending' | 'visible';
}
export interface VotedData {
  question: string;
  on: boolean;
}
export interface ModeratedData {
  question: string;
  action: ModerationAction;
}
export interface ModeData {
  approveFirst: boolean;
}
export interface EditedData {
  question: string;
  text: string;
}
export interface WithdrawnData {
  question: string;
}
export interface AnswerTextData {
  question: string;
  /** null takes the answer back. */
  text: string | null;
}

export interface StoredQuestion {
  id: string;
  text: string;
  name: string | null;
  slide: SlideRef;
  at: number;
  state: QuestionState;
  asker: string;
  voters: Set<string>;
  answer: QuestionAnswer | null;
  edited: boolean;
}

/** What an applied event changed, for the fan-out. */
export type QaChange =
  | { kind: 'question'; question: StoredQuestion; wasPublic: boolean; voter?: string }
  | { kind: 'removed'; question: StoredQuestion; wasPublic: boolean }
  | { kind: 'none' };

/** Which state each action leads to, from which states; highlight makes a question public. */
const TRANSITIONS: Record<Exclude<ModerationAction, 'delete' | 'unhighlight'>, { from: readonly QuestionState[]; to: QuestionState }> = {
  approve: { from: ['pending'], to: 'visible' },
  hide: { from: ['pending', 'visible', 'answered'], to: 'hidden' },
  show: { from: ['hidden'], to: 'visible' },
  answer: { from: ['pending', 'visible', 'hidden'], to: 'answered' },
  reopen: { from: ['answered'], to: 'visible' },
  highlight: { from: ['pending', 'hidden'], to: 'visible' },
};

export const questionId = (seq: number) => `q${seq}`;

/** A new question's id: from who asked and the write's idempotency key, so a resend through any node names the same question. */
export function askedId(participant: string, key: string): string {
  return `q-${createHash('sha256').update(`${participant}\n${key}`).digest('base64url').slice(0, 12)}`;
}

export class QaBoard {
  approveFirst = false;
  /** The question on the screen, or null. */
  highlight: string | null = null;
  /** In asking order. */
  private readonly questions = new Map<string, StoredQuestion>();
  private readonly keys = new SeenKeys();
  /** Everyone who ever asked or voted: only they see more than a stranger does (mine, voted). */
  private readonly involved = new Set<string>();

  get(id: string): StoredQuestion | undefined {
    return this.questions.get(id);
  }

  all(): StoredQuestion[] {
    return [...this.questions.values()];
  }

  /** The seq a (participant, key) write was applied at, if it was: a resend is acknowledged, not re-applied or rate limited. */
  seenKey(participant: string, key: string): number | undefined {
    return this.keys.get(participant, key);
  }

  /** False when `participant` sees the questions exactly as any newcomer does. */
  involves(participant: string): boolean {
    return this.involved.has(participant);
  }

  /** Applies one stored event of this feature. Unknown ids (e.g. deleted meanwhile) change nothing. */
  apply(event: StoredEvent): QaChange {
    this.keys.note(event);
    switch (event.kind) {
      case QA_EVENTS.asked: {
        const data = event.data as AskedData;
        const question: StoredQuestion = {
          id: data.id ?? questionId(event.seq),
          text: data.text,
          name: data.name,
          slide: data.slide,
          at: event.at,
          state: data.state,
          asker: event.participant ?? '',
          voters: new Set(),
          answer: null,
          edited: false,
        };
        this.questions.set(question.id, question);
        this.involved.add(question.asker);
        return { kind: 'question', question, wasPublic: false };
      }
      case QA_EVENTS.voted: {
        const data = event.data as VotedData;
        const question = this.questions.get(data.question);
        if (!question || event.participant === null) return { kind: 'none' };
        this.involved.add(event.participant);
        const had = question.voters.has(event.participant);
        if (had === data.on) return { kind: 'none' };
        if (data.on) question.voters.add(event.participant);
        else question.voters.delete(event.participant);
        const pub = isPublic(question.state);
        return { kind: 'question', question, wasPublic: pub, voter: event.participant };
      }
      case QA_EVENTS.moderated:
        return this.moderate(event.data as ModeratedData);
      case QA_EVENTS.mode:
        this.approveFirst = (event.data as ModeData).approveFirst;
        return { kind: 'none' };
      case QA_EVENTS.edited: {
        const data = event.data as EditedData;
        const question = this.questions.get(data.question);
        if (!question) return { kind: 'none' };
        question.text = data.text;
        question.edited = true;
        return { kind: 'question', question, wasPublic: isPublic(question.state) };
      }
      case QA_EVENTS.withdrawn:
        return this.remove((event.data as WithdrawnData).question);
      case QA_EVENTS.answerText: {
        const data = event.data as AnswerTextData;
        const question = this.questions.get(data.question);
        if (!question) return { kind: 'none' };
        question.answer = data.text === null ? null : { text: data.text, at: event.at };
        return { kind: 'question', question, wasPublic: isPublic(question.state) };
      }
      default:
        return { kind: 'none' };
    }
  }

  /** Whether the action would change anything (so a no-op is not stored or broadcast). */
  wouldChange(data: ModeratedData): boolean {
    const q = this.questions.get(data.question);
    if (!q) return false;
    if (data.action === 'delete') return true;
    if (data.action === 'unhighlight') return this.highlight === q.id;
    if (data.action === 'highlight') return this.highlight !== q.id || !isPublic(q.state);
    return TRANSITIONS[data.action].from.includes(q.state);
  }

  private moderate(data: ModeratedData): QaChange {
    const question = this.questions.get(data.question);
    if (!question) return { kind: 'none' };
    const wasPublic = isPublic(question.state);
    const { action } = data;
    if (action === 'delete') return this.remove(question.id);
    if (action === 'unhighlight') {
      if (this.highlight === question.id) this.highlight = null;
      return { kind: 'none' };
    }
    const rule = TRANSITIONS[action];
    if (rule.from.includes(question.state)) question.state = rule.to;
    if (action === 'highlight') this.highlight = question.id;
    // Once it is answered or taken down, it is no longer what the room is looking at.
    else if (this.highlight === question.id && (question.state === 'answered' || question.state === 'hidden')) this.highlight = null;
    return { kind: 'question', question, wasPublic };
  }

  private remove(id: string): QaChange {
    const question = this.questions.get(id);
    if (!question) return { kind: 'none' };
    const wasPublic = isPublic(question.state);
    this.questions.delete(question.id);
    if (this.highlight === question.id) this.highlight = null;
    return { kind: 'removed', question, wasPublic };
  }

  /** Answered in either way: marked answered, or answered in text. Its asker may no longer change it. */
  isAnswered(q: StoredQuestion): boolean {
    return q.state === 'answered' || q.answer !== null;
  }

  /** The wire form; `viewer` adds that participant's own facts (mine, voted); `staff` adds the asker's handle. */
  view(q: StoredQuestion, viewer?: string | null, staff = false): Question {
    const out: Question = { id: q.id, text: q.text, name: q.name, slide: q.slide, at: q.at, votes: q.voters.size, state: q.state };
    if (q.answer) out.answer = { ...q.answer };
    if (q.edited) out.edited = true;
    if (staff) out.author = authorOf(q.asker);
    if (viewer) {
      if (q.asker === viewer) out.mine = true;
      out.voted = q.voters.has(viewer);
    }
    return out;
  }

  /** The public view as the question's voters see it (the asker's own view also says `mine`). */
  votedView(q: StoredQuestion): Question {
    return { ...this.view(q), voted: true };
  }

  /** What one connection may see: staff everything, others public questions and their own. */
  snapshot(staff: boolean, viewer: string | null): Question[] {
    const seen = this.all().filter((q) => staff || isPublic(q.state) || (viewer !== null && q.asker === viewer));
    // Bounded: the newest, but never drop the highlighted one or the viewer's own.
    const limit = QA_LIMITS.questionSnapshot;
    const kept = seen.length <= limit ? seen : seen.filter((q, i) => i >= seen.length - limit || q.id === this.highlight || q.asker === viewer);
    return kept.map((q) => this.view(q, staff ? null : viewer, staff));
  }
}
