/** Polls and reactions on the projector: charts in the slide placeholders, reactions floating up. */
import './polls.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import { REACTION_FACES, REACTIONS, type ReactionsMessage } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { fillPlaceholders, resultsBody } from './placeholders.ts';
import { PollStore } from './store.ts';
import { quizPlaceholderBody } from './quiz-board.ts';
import { QuizStore, startCountdowns } from './quiz-store.ts';

/** However big the crowd, a flush floats at most this many of each reaction (the rest is a count). */
const MAX_FLOATS = 8;

export function mountScreenFeedback(joinUrl: string): { receive(message: ServerMessage): void } {
  const store = new PollStore();
  const quiz = new QuizStore();
  startCountdowns(quiz);
  const layer = el('div', { className: 'ld-float-layer', attrs: { 'aria-hidden': 'true' } });
  // A poll created live from the console has no slide to live on: it gets a card over the deck.
  const liveCard = el('div', { className: 'ld-poll ld-live-poll', attrs: { hidden: '', 'aria-live': 'polite' } });
  document.body.append(layer, liveCard);

  const render = () => {
    const live = store.open().filter((view) => view.poll.slide === null).at(-1);
    liveCard.hidden = !live;
    if (live) liveCard.dataset.pollId = live.poll.id;
    else delete liveCard.dataset.pollId;
    fillPlaceholders(store, (view) =>
      view.poll.type === 'quiz'
        ? quizPlaceholderBody(view, quiz, `Answer on your phone · ${joinUrl}`)
        : [...(view.status === 'open' ? [el('p', { className: 'ld-poll-where', text: `Vote on your phone · ${joinUrl}` })] : []), ...resultsBody(view)],
    );
  };

  return {
    receive(message) {
      if (message.type === 'reactions') return floatReactions(layer, message);
      if (store.apply(message) || quiz.apply(message)) render();
    },
  };
}

export function floatReactions(layer: HTMLElement, message: ReactionsMessage): void {
  for (const reaction of REACTIONS) {
    const count = message.counts[reaction] ?? 0;
    const face = REACTION_FACES[reaction];
    for (let i = 0; i < Math.min(count, MAX_FLOATS); i++) {
      const bubble = el('span', { className: 'ld-float', attrs: { 'data-reaction': reaction } }, [
        el('span', { className: 'ld-float-emoji', text: face.emoji }),
        el('span', { className: 'ld-float-label', text: i === 0 && count > MAX_FLOATS ? `${face.label} ×${count}` : face.label }),
      ]);
      bubble.style.left = `${4 + Math.random() * 88}%`;
      bubble.style.animationDelay = `${Math.random() * 400}ms`;
      bubble.addEventListener('animationend', () => bubble.remove());
      layer.append(bubble);
    }
  }
}
