/** Small pieces shared by the audience and staff panels. All text goes in as textContent. */
import type { ServerMessage } from '../../protocol/messages.ts';
import { slideRefLabel, textLength, type Question, type QuestionState } from '../../protocol/qa.ts';
import { el } from '../dom.ts';

export const STATE_LABELS: Record<QuestionState, string> = {
  pending: 'Waiting for approval',
  visible: 'Visible',
  answered: 'Answered',
  hidden: 'Hidden by the moderator',
};

export function timeLabel(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function slideText(q: Pick<Question, 'slide'>): string {
  return `slide ${slideRefLabel(q.slide)}`;
}

/** "12 left" under a text box; turns red below zero. Returns an updater. */
export function counter(input: HTMLInputElement | HTMLTextAreaElement, max: number, button: HTMLButtonElement): { element: HTMLElement; update(): void } {
  const element = el('span', { className: 'ld-ix-counter', attrs: { 'aria-live': 'polite' } });
  const update = () => {
    const left = max - textLength(input.value.trim());
    element.textContent = `${left}`;
    element.title = `${left} characters left`;
    element.classList.toggle('ld-ix-over', left < 0);
    button.disabled = left < 0 || input.value.trim() === '';
  };
  input.addEventListener('input', update);
  update();
  return { element, update };
}

/** Coalesces renders to one per frame: a burst of votes repaints once. */
export function scheduler(render: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  };
}

/** A polite, self-clearing status line. */
export function flash(element: HTMLElement, text: string, ms = 6000): void {
  element.textContent = text;
  element.hidden = false;
  const token = String(Date.now());
  element.dataset.token = token;
  setTimeout(() => {
    if (element.dataset.token === token) element.hidden = true;
  }, ms);
}

/** Errors the person can act on, phrased for them (the server's text already says how long to wait). */
export function errorText(message: Extract<ServerMessage, { type: 'error' }>): string {
  if (message.code === 'rate_limited' || message.code === 'text_too_long' || message.code === 'empty_text') {
    return message.message.replace(/^Too many messages; slow down\. /, '').replace(/^The text (is empty|is longer than allowed)\. /, '');
  }
  if (message.code === 'not_found') return 'That question or message is gone.';
  // Staff actions carry no key and are not resent (phones' keyed writes never reach here: their outbox retries).
  if (message.code === 'unavailable') return 'Not saved: the server cannot store changes right now. Try again in a moment.';
  if (['forbidden', 'muted', 'own_question', 'not_yours', 'already_answered'].includes(message.code)) return message.message;
  return `Something went wrong (${message.code}).`;
}
