/**
 * The highlighted question as a card over the projected slide: the room sees which question
 * the speaker is answering. Follows its own copy of the Q&A state.
 */
import './highlight-card.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import { el } from '../dom.ts';
import { InteractionModel } from './model.ts';

export function mountHighlightCard(): { receive(message: ServerMessage): void } {
  const model = new InteractionModel();
  const text = el('p', { className: 'ld-hl-text' });
  const who = el('span', { className: 'ld-hl-who' });
  const votes = el('span', { className: 'ld-hl-votes' });
  const card = el('aside', { className: 'ld-hl', attrs: { hidden: '', 'aria-live': 'polite' } }, [
    el('div', { className: 'ld-hl-label', text: 'Question' }),
    text,
    el('div', { className: 'ld-hl-meta' }, [who, votes]),
  ]);
  document.body.append(card);

  return {
    receive(message) {
      if (!model.apply(message).changed) return;
      const q = model.highlight ? model.questions.get(model.highlight) : undefined;
      card.hidden = !q;
      if (!q) return;
      text.textContent = q.text;
      who.textContent = q.name ?? 'Anonymous';
      votes.textContent = q.votes === 1 ? '1 upvote' : `${q.votes} upvotes`;
    },
  };
}
