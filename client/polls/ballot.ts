/** The phone's voting controls: big tap targets, the current ballot marked, changeable while open. */
import { POLL_LIMITS, type BallotValue, type PollView } from '../../protocol/polls.ts';
import { el } from '../dom.ts';

export function renderBallot(view: PollView, mine: BallotValue | undefined, vote: (value: BallotValue) => void): HTMLElement {
  const { poll } = view;
  const box = el('div', { className: `ld-ballot ld-ballot-${poll.type}` });
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
