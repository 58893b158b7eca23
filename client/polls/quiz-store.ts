import type { ServerMessage } from '../../protocol/messages.ts';
import type { QuizBoardMessage, QuizScoreMessage } from '../../protocol/quiz.ts';

/**
 * What a page knows about quizzes beyond the polls: each running question's deadline on this
 * page's own clock (the server sends time left, never a time of day), the latest leaderboard of
 * each quiz, and (on a phone) its own score.
 */
export class QuizStore {
  /** Poll id → `performance.now()` when its time is up. */
  readonly deadlines = new Map<string, number>();
  readonly boards = new Map<string, QuizBoardMessage>();
  readonly scores = new Map<string, QuizScoreMessage>();
  /** Called when a question's clock starts (startCountdowns ticks only while one runs). */
  onClock: () => void = () => {};

  apply(message: ServerMessage): boolean {
    switch (message.type) {
      case 'quizClock':
        this.deadlines.set(message.poll, performance.now() + message.closesIn);
        this.onClock();
        return true;
      case 'quizBoard':
        this.boards.set(message.quiz, message);
        return true;
      case 'quizScore':
        this.scores.set(message.quiz, message);
        return true;
      default:
        return false;
    }
  }

  /** Whole seconds left for a running question; null when no clock was heard. */
  secondsLeft(poll: string): number | null {
    const deadline = this.deadlines.get(poll);
    return deadline === undefined ? null : Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
  }
}

/**
 * Keeps every `[data-ld-countdown]` element's text at the seconds left, four times a second:
 * one timer for the page, not one per render, and only while a question's clock runs (a phone
 * follows a whole talk; an idle timer would wake it four times a second for nothing).
 */
export function startCountdowns(store: QuizStore): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    for (const node of document.querySelectorAll<HTMLElement>('[data-ld-countdown]')) {
      const left = store.secondsLeft(node.dataset.ldCountdown ?? '');
      if (left !== null) node.textContent = `${left} s`;
    }
    const now = performance.now();
    if (![...store.deadlines.values()].some((deadline) => deadline > now) && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  store.onClock = () => {
    timer ??= setInterval(tick, 250);
  };
}
