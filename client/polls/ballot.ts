/** The phone's voting controls: big tap targets, the current ballot marked, changeable while open. */
import { POLL_LIMITS, type BallotValue, type PollView } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { renderRanking } from './ranking-ballot.ts';

export function renderBallot(view: PollView, mine: BallotValue | undefined, vote: (value: BallotValue) => void): HTMLElement {
  const { poll } = view;
  if (poll.type === 'ranking') return renderRanking(view, mine, vote);
  const box = el('div', { className: `ld-ballot ld-ballot-${poll.type}` });
  if (poll.type === 'words' && (poll.maxWords ?? 1) > 1) return severalWords(view, mine, vote, box);
  if (poll.type === 'words' || poll.type === 'text') {
    const max = poll.type === 'words' ? POLL_LIMITS.word : POLL_LIMITS.text;
    const input =
      poll.type === 'words'
        ? el('input', { className: 'ld-ballot-input', attrs: { type: 'text', maxlength: String(max), autocomplete: 'off', 'aria-label': poll.question, placeholder: 'One word' } })
        : el('textarea', { className: 'ld-ballot-input', attrs: { maxlength: String(max), rows: '3', 'aria-label': poll.question, placeholder: 'Your answer' } });
    const send = el('button', { className: 'ld-ballot-send', text: mine ? 'Change answer' : 'Send', attrs: { type: 'submit' } });
    const form = el('form', { className: 'ld-ballot-form' }, [input, send]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.replace(/\s+/g, ' ').trim();
      if (text === '') return;
      vote({ text });
      input.value = '';
    });
    box.append(form);
    if (mine && 'text' in mine) box.append(el('p', { className: 'ld-ballot-mine', text: `Your answer: ${mine.text}` }));
    return box;
  }

  const chosen = new Set(mine && 'choices' in mine ? mine.choices : []);
  const grid = el('div', { className: 'ld-ballot-options', attrs: { role: poll.type === 'multiple' ? 'group' : 'radiogroup', 'aria-label': poll.question } });
  poll.options.forEach((option, i) => {
    const on = chosen.has(i);
    const button = el('button', {
      className: `ld-ballot-option${on ? ' ld-chosen' : ''}`,
      text: option,
      attrs: { type: 'button', 'aria-pressed': String(on), 'data-index': String(i) },
    });
    button.addEventListener('click', () => {
      if (poll.type === 'multiple') {
        const next = new Set(chosen);
        if (next.has(i)) next.delete(i);
        else next.add(i);
        // An empty selection is not a ballot: the last choice stays until another is picked.
        if (next.size > 0) vote({ choices: [...next].sort((a, b) => a - b) });
      } else {
        vote({ choices: [i] });
      }
    });
    grid.append(button);
  });
  box.append(grid);
  if (poll.type === 'multiple') box.append(el('p', { className: 'ld-ballot-hint', text: 'Choose all that apply.' }));
  return box;
}

/** A cloud taking several words: one box per word, sent together (empty boxes are left out). */
function severalWords(view: PollView, mine: BallotValue | undefined, vote: (value: BallotValue) => void, box: HTMLElement): HTMLElement {
  const max = view.poll.maxWords ?? 1;
  const inputs = Array.from({ length: max }, (_, i) =>
    el('input', {
      className: 'ld-ballot-input ld-word-input',
      attrs: { type: 'text', maxlength: String(POLL_LIMITS.word), autocomplete: 'off', 'aria-label': `Word ${i + 1} of ${max}`, placeholder: `Word ${i + 1}` },
    }),
  );
  const send = el('button', { className: 'ld-ballot-send', text: mine ? 'Change words' : 'Send', attrs: { type: 'submit' } });
  const form = el('form', { className: 'ld-ballot-form ld-words-form' }, [el('div', { className: 'ld-word-inputs' }, inputs), send]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const words = inputs.map((input) => input.value.replace(/\s+/g, ' ').trim()).filter((w) => w !== '');
    if (words.length === 0) return;
    vote({ words });
    for (const input of inputs) input.value = '';
  });
  box.append(el('p', { className: 'ld-ballot-hint', text: `Up to ${max} words.` }), form);
  const given = mine && 'words' in mine ? mine.words : mine && 'text' in mine ? [mine.text] : [];
  if (given.length > 0) box.append(el('p', { className: 'ld-ballot-mine', text: `Your words: ${given.join(', ')}` }));
  return box;
}
