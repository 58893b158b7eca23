/**
 * The presenter console's part: every poll with Open/Close and live results, a form to create a
 * poll on the spot, the pace gauge for the current slide, and the reactions coming in.
 */
import './polls.css';
import type { ClientMessage, ServerMessage } from '../../protocol/messages.ts';
import { POLL_TYPES, REACTION_FACES, REACTIONS, type PaceReportMessage, type PollType, type PollView, type Reaction } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { randomId } from '../participant.ts';
import { renderResults } from './chart.ts';
import { TYPE_LABELS, typeLabel } from './labels.ts';
import { fillPlaceholders, resultsBody, STATUS_TEXT } from './placeholders.ts';
import { PollStore } from './store.ts';
import { quizPlaceholderBody, renderLeaderboard } from './quiz-board.ts';
import { QuizStore, startCountdowns } from './quiz-store.ts';

export interface ConsoleFeedbackOptions {
  send(message: ClientMessage): boolean;
}


/** Builds the panel; the page puts `element` where it likes (the side column). */
export function mountConsoleFeedback(options: ConsoleFeedbackOptions): { element: HTMLElement; receive(message: ServerMessage): void } {
  const store = new PollStore();
  const quiz = new QuizStore();
  startCountdowns(quiz);
  let slide = { h: 0, v: 0 };
  let pace: PaceReportMessage | null = null;
  const reactionTotals: Partial<Record<Reaction, number>> = {};

  /* ---------- pace and reactions ---------- */
  const slowFill = el('span', { className: 'ld-gauge-fill ld-gauge-slow' });
  const fastFill = el('span', { className: 'ld-gauge-fill ld-gauge-fast' });
  const paceText = el('span', { className: 'ld-pace-text', text: 'No signals' });
  const gauge = el('div', { className: 'ld-gauge', attrs: { role: 'meter', 'aria-label': 'Pace on this slide', 'aria-valuemin': '-1', 'aria-valuemax': '1', 'aria-valuenow': '0' } }, [
    el('span', { className: 'ld-gauge-half ld-gauge-left' }, [slowFill]),
    el('span', { className: 'ld-gauge-mid' }),
    el('span', { className: 'ld-gauge-half' }, [fastFill]),
  ]);
  const reactionLine = el('div', { className: 'ld-reaction-totals', attrs: { 'aria-label': 'Reactions so far' } });
  const room = el('section', { className: 'ld-room', attrs: { 'aria-label': 'Room' } }, [
    el('h2', { text: 'Room' }),
    el('div', { className: 'ld-gauge-labels' }, [el('span', { text: 'Too slow / lost' }), el('span', { text: 'Too fast' })]),
    gauge,
    paceText,
    reactionLine,
  ]);

  function renderPace(): void {
    const here = pace?.slides[`${slide.h}/${slide.v}`] ?? { fast: 0, slow: 0 };
    // Scale: three people's fresh signals fill a side; the gauge is a nudge, not a census.
    slowFill.style.width = `${Math.min(1, here.slow / 3) * 100}%`;
    fastFill.style.width = `${Math.min(1, here.fast / 3) * 100}%`;
    gauge.setAttribute('aria-valuenow', String(Math.max(-1, Math.min(1, (here.fast - here.slow) / 3)).toFixed(2)));
    const active = pace?.active ?? { fast: 0, slow: 0 };
    paceText.textContent =
      here.fast + here.slow < 0.05
        ? `Calm on this slide${active.fast + active.slow > 0 ? ` · ${active.slow} lost, ${active.fast} too fast overall` : ''}`
        : `This slide: ${here.slow.toFixed(1)} lost · ${here.fast.toFixed(1)} too fast`;
    gauge.dataset.fast = here.fast.toFixed(2);
    gauge.dataset.slow = here.slow.toFixed(2);
  }

  function renderReactions(): void {
    reactionLine.replaceChildren(
      ...REACTIONS.map((r) =>
        el('span', { className: 'ld-reaction-total', attrs: { title: REACTION_FACES[r].label, 'aria-label': `${REACTION_FACES[r].label}: ${reactionTotals[r] ?? 0}` } }, [
          el('span', { text: REACTION_FACES[r].emoji, attrs: { 'aria-hidden': 'true' } }),
          el('span', { text: ` ${REACTION_FACES[r].label} ${reactionTotals[r] ?? 0}` }),
        ]),
      ),
    );
  }

  /* ---------- polls ---------- */
  const list = el('div', { className: 'ld-poll-list' });
  const typeSelect = el('select', { className: 'ld-new-type', attrs: { 'aria-label': 'Poll type' } }, POLL_TYPES.filter((t) => t !== 'quiz').map((t) => el('option', { text: TYPE_LABELS[t], attrs: { value: t } })));
  const question = el('input', { className: 'ld-new-question', attrs: { type: 'text', maxlength: '200', placeholder: 'Question', 'aria-label': 'Question', required: '' } });
  const optionsInput = el('textarea', { className: 'ld-new-options', attrs: { rows: '3', placeholder: 'One option per line', 'aria-label': 'Options, one per line' } });
  const hideResults = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Hide results until closed' } });
  const formError = el('p', { className: 'ld-form-error', attrs: { role: 'alert' } });
  const form = el('form', { className: 'ld-new-poll', attrs: { 'aria-label': 'New poll' } }, [
    typeSelect,
    question,
    optionsInput,
    el('label', { className: 'ld-check' }, [hideResults, el('span', { text: ' Hide results until closed' })]),
    el('button', { className: 'ld-btn', text: 'Create and open', attrs: { type: 'submit' } }),
    formError,
  ]);
  const syncForm = () => {
    const type = typeSelect.value as PollType;
    optionsInput.hidden = type !== 'single' && type !== 'multiple' && type !== 'ranking';
  };
  typeSelect.addEventListener('change', syncForm);
  syncForm();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const type = typeSelect.value as PollType;
    const opts = optionsInput.hidden ? [] : optionsInput.value.split('\n').map((o) => o.trim()).filter(Boolean);
    if (question.value.trim() === '') return void (formError.textContent = 'Write a question.');
    if (!optionsInput.hidden && opts.length < 2) return void (formError.textContent = 'Give at least two options, one per line.');
    formError.textContent = '';
    const sent = options.send({
      type: 'createPoll',
      key: randomId(),
      poll: { type, question: question.value.trim(), options: opts.slice(0, 12), results: hideResults.checked ? 'closed' : 'live' },
      openNow: true,
    });
    if (!sent) return void (formError.textContent = 'Not connected; try again in a moment.');
    question.value = '';
    optionsInput.value = '';
  });
  const newPoll = el('details', { className: 'ld-new-poll-box' }, [el('summary', { text: 'New poll' }), form]);
  const panel = el('section', { className: 'ld-polls', attrs: { 'aria-label': 'Polls' } }, [el('h2', { text: 'Polls' }), list, newPoll]);

  function pollRow(view: PollView): HTMLElement {
    const action = view.status === 'open' ? 'closePoll' : 'openPoll';
    const button = el('button', {
      className: `ld-btn ld-poll-action`,
      text: view.status === 'open' ? 'Close' : view.status === 'closed' ? 'Reopen' : 'Open',
      attrs: { type: 'button', 'data-poll-id': view.poll.id },
    });
    button.addEventListener('click', () => options.send({ type: action, poll: view.poll.id }));
    const where = view.poll.slide ? `slide ${view.poll.slide.h + 1}${view.poll.slide.v > 0 ? `.${view.poll.slide.v + 1}` : ''}` : 'live';
    const row = el('article', { className: 'ld-poll-row', attrs: { 'data-poll-id': view.poll.id, 'data-status': view.status } }, [
      el('div', { className: 'ld-poll-row-head' }, [
        el('span', { className: 'ld-poll-question', text: view.poll.question }),
        el('span', { className: 'ld-poll-status', text: STATUS_TEXT[view.status] }),
        button,
      ]),
      el('p', { className: 'ld-poll-meta', text: `${typeLabel(view.poll)} · ${where}${view.poll.results === 'closed' ? ' · results hidden until closed' : ''}` }),
    ]);
    if (view.status !== 'ready' || (view.results?.ballots ?? 0) > 0) row.append(renderResults(view, { answers: 6 }));
    if (view.poll.type === 'quiz' && view.status === 'open') row.append(...quizPlaceholderBody(view, quiz, 'Time left'));
    const board = view.poll.quiz ? quiz.boards.get(view.poll.quiz.id) : undefined;
    if (board && view.status === 'closed') row.append(renderLeaderboard(board, 10));
    return row;
  }

  function renderPolls(): void {
    // Open polls and the ones on this slide first; the rest in deck order.
    const rank = (v: PollView) => (v.status === 'open' ? 0 : v.poll.slide?.h === slide.h && v.poll.slide.v === slide.v ? 1 : 2);
    const views = store.all().sort((a, b) => rank(a) - rank(b));
    list.replaceChildren(...(views.length ? views.map(pollRow) : [el('p', { className: 'ld-empty', text: 'No polls yet.' })]));
    fillPlaceholders(store, (view) => (view.poll.type === 'quiz' ? quizPlaceholderBody(view, quiz, 'Answers on phones') : resultsBody(view)));
  }

  renderPace();
  renderReactions();

  return {
    element: el('div', { className: 'ld-feedback-console' }, [room, panel]),
    receive(message) {
      switch (message.type) {
        case 'welcome':
          slide = { h: message.deck.indexh, v: message.deck.indexv };
          // The server's totals replace ours: a reload or a full resync neither loses nor double counts.
          for (const r of REACTIONS) reactionTotals[r] = message.reactions?.[r] ?? 0;
          renderReactions();
          store.apply(message);
          renderPolls();
          renderPace();
          break;
        case 'deck':
          slide = { h: message.state.indexh, v: message.state.indexv };
          renderPolls();
          renderPace();
          break;
        case 'paceReport':
          pace = message;
          renderPace();
          break;
        case 'reactions':
          for (const r of REACTIONS) reactionTotals[r] = (reactionTotals[r] ?? 0) + (message.counts[r] ?? 0);
          renderReactions();
          break;
        default:
          if (store.apply(message) || quiz.apply(message)) renderPolls();
      }
    },
  };
}
