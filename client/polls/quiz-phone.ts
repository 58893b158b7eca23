/**
 * A quiz question on a phone: a nickname first (once per talk), then the options with the time
 * left; an answer is final. Once the question closes: right or wrong, the points, and the
 * phone's score and rank. All text from the wire goes in as textContent.
 */
import type { BallotValue, PollView } from '../../protocol/polls.ts';
import { QUIZ_LIMITS } from '../../protocol/quiz.ts';
import './quiz.css';
import { el } from '../dom.ts';
import type { QuizStore } from './quiz-store.ts';

export interface QuizCardContext {
  quiz: QuizStore;
  mine: BallotValue | undefined;
  /** The nickname this phone chose; null until it chose (an empty choice plays as a guest). */
  name: string | null;
  chooseName(name: string): void;
  vote(value: BallotValue): void;
}

/** Choices being picked on a question with several right options, kept across redraws. */
const picking = new Map<string, Set<number>>();

export function renderQuizCard(view: PollView, ctx: QuizCardContext): HTMLElement {
  const { poll } = view;
  const box = el('div', { className: 'ld-ballot ld-ballot-quiz', attrs: { 'data-quiz-state': view.status } });
  const chosen = ctx.mine && 'choices' in ctx.mine ? ctx.mine.choices : null;
  if (view.status === 'open') {
    box.append(countdown(view, ctx.quiz));
    if (chosen) {
      box.append(el('p', { className: 'ld-quiz-locked', text: `Locked in: ${chosen.map((c) => poll.options[c] ?? '').join(', ')}. Results when time is up.` }));
    } else if (ctx.name === null) {
      box.append(nameForm(ctx));
    } else {
      box.append(options(view, ctx));
    }
    return box;
  }
  if (view.status !== 'closed') return box;
  const correct = new Set(poll.quiz?.correct ?? []);
  const list = el('ul', { className: 'ld-quiz-key' });
  poll.options.forEach((option, i) => {
    const mark = correct.has(i) ? '✓' : chosen?.includes(i) ? '✗' : '';
    list.append(el('li', { className: `ld-quiz-key-item${correct.has(i) ? ' ld-correct' : ''}${chosen?.includes(i) ? ' ld-mine' : ''}`, text: `${mark} ${option}`.trim() }));
  });
  const score = poll.quiz ? ctx.quiz.scores.get(poll.quiz.id) : undefined;
  const mineResult = score?.answers.find((a) => a.poll === poll.id);
  const verdict = !chosen
    ? 'You did not answer this one.'
    : mineResult
      ? mineResult.correct
        ? `Right! +${mineResult.points} points`
        : 'Not this time: 0 points'
      : 'Counting…';
  box.append(el('p', { className: `ld-quiz-verdict${mineResult?.correct ? ' ld-right' : chosen && mineResult ? ' ld-wrong' : ''}`, text: verdict }), list);
  if (score) {
    box.append(el('p', { className: 'ld-quiz-score', text: `${score.name}: ${score.points} points · rank ${score.rank} of ${score.players}` }));
  }
  return box;
}

function countdown(view: PollView, quiz: QuizStore): HTMLElement {
  const left = quiz.secondsLeft(view.poll.id);
  return el('p', { className: 'ld-quiz-clock' }, [
    el('span', { text: 'Time left ' }),
    el('strong', { text: left === null ? '…' : `${left} s`, attrs: { 'data-ld-countdown': view.poll.id } }),
  ]);
}

function nameForm(ctx: QuizCardContext): HTMLElement {
  const input = el('input', {
    className: 'ld-ballot-input ld-quiz-name',
    attrs: { type: 'text', maxlength: String(QUIZ_LIMITS.name), autocomplete: 'nickname', placeholder: 'Your nickname', 'aria-label': 'Nickname for the leaderboard' },
  });
  const play = el('button', { className: 'ld-ballot-send', text: 'Play', attrs: { type: 'submit' } });
  const form = el('form', { className: 'ld-ballot-form ld-quiz-name-form' }, [input, play]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.chooseName(input.value.replace(/\s+/g, ' ').trim());
  });
  return el('div', {}, [el('p', { className: 'ld-ballot-hint', text: 'Pick a nickname for the leaderboard (or leave it empty to play as a guest).' }), form]);
}

function options(view: PollView, ctx: QuizCardContext): HTMLElement {
  const { poll } = view;
  const several = poll.quiz?.several === true;
  const picked = picking.get(poll.id) ?? new Set<number>();
  picking.set(poll.id, picked);
  const grid = el('div', { className: 'ld-ballot-options', attrs: { role: several ? 'group' : 'radiogroup', 'aria-label': poll.question } });
  const submit = el('button', { className: 'ld-ballot-send ld-quiz-submit', text: 'Lock in', attrs: { type: 'button' } });
  poll.options.forEach((option, i) => {
    const button = el('button', {
      className: `ld-ballot-option${picked.has(i) ? ' ld-chosen' : ''}`,
      text: option,
      attrs: { type: 'button', 'aria-pressed': String(picked.has(i)), 'data-index': String(i) },
    });
    button.addEventListener('click', () => {
      if (!several) return ctx.vote({ choices: [i] });
      if (picked.has(i)) picked.delete(i);
      else picked.add(i);
      button.classList.toggle('ld-chosen', picked.has(i));
      button.setAttribute('aria-pressed', String(picked.has(i)));
      submit.disabled = picked.size === 0;
    });
    grid.append(button);
  });
  if (!several) return grid;
  submit.disabled = picked.size === 0;
  submit.addEventListener('click', () => {
    if (picked.size > 0) ctx.vote({ choices: [...picked].sort((a, b) => a - b) });
  });
  return el('div', {}, [grid, el('p', { className: 'ld-ballot-hint', text: 'Several answers are right: choose all of them.' }), submit]);
}
