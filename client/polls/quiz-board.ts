/** The leaderboard after each quiz question, and the podium once the quiz is over (screen and console). */
import type { PollView } from '../../protocol/polls.ts';
import type { QuizBoardMessage } from '../../protocol/quiz.ts';
import './quiz.css';
import { el } from '../dom.ts';
import { renderResults } from './chart.ts';
import type { QuizStore } from './quiz-store.ts';

export function renderLeaderboard(board: QuizBoardMessage, rows = 5): HTMLElement {
  const list = el('ol', { className: 'ld-leaderboard', attrs: { 'aria-label': 'Leaderboard' } });
  for (const leader of board.leaders.slice(0, rows)) {
    list.append(
      el('li', { className: 'ld-leader', attrs: { 'data-rank': String(leader.rank) } }, [
        el('span', { className: 'ld-leader-rank', text: `${leader.rank}` }),
        el('span', { className: 'ld-leader-name', text: leader.name }),
        el('span', { className: 'ld-leader-points', text: `${leader.points}` }),
      ]),
    );
  }
  if (board.leaders.length === 0) list.append(el('li', { className: 'ld-empty', text: 'Nobody played yet.' }));
  return el('div', { className: 'ld-quiz-board', attrs: { 'data-quiz': board.quiz } }, [
    el('p', { className: 'ld-quiz-board-title', text: `Leaderboard · after question ${board.closed} of ${board.total} · ${board.players} playing` }),
    list,
  ]);
}

/**
 * The three ranks on steps, second–first–third as podiums stand. Players who tie share a step
 * (so a step may hold several names, and a step may stay empty: 1, 1, 3 has no second).
 */
export function renderPodium(board: QuizBoardMessage): HTMLElement {
  const steps = [2, 1, 3].map((rank) => {
    const names = board.leaders.filter((l) => l.rank === rank);
    return el('div', { className: `ld-podium-step ld-podium-${rank}`, attrs: { 'data-rank': String(rank) } }, [
      el('div', { className: 'ld-podium-names' }, names.map((l) => el('p', { className: 'ld-podium-name', text: l.name }))),
      el('p', { className: 'ld-podium-points', text: names[0] ? `${names[0].points}` : '' }),
      el('div', { className: 'ld-podium-block', text: `${rank}` }),
    ]);
  });
  return el('div', { className: 'ld-podium', attrs: { 'data-quiz': board.quiz, 'aria-label': 'Podium' } }, [
    el('p', { className: 'ld-quiz-board-title', text: `Final results · ${board.players} played` }),
    el('div', { className: 'ld-podium-steps' }, steps),
  ]);
}

/**
 * A quiz question's placeholder on the projector (and the console's slide preview): while it
 * runs, where to answer and the time left; once closed, the answers with the right one marked
 * and the leaderboard, or the podium when it was the quiz's last question.
 */
export function quizPlaceholderBody(view: PollView, quiz: QuizStore, where: string): Node[] {
  if (view.status === 'open') {
    const left = quiz.secondsLeft(view.poll.id);
    return [
      el('p', { className: 'ld-poll-where ld-quiz-clock' }, [
        el('span', { text: `${where} · ` }),
        el('strong', { text: left === null ? '…' : `${left} s`, attrs: { 'data-ld-countdown': view.poll.id } }),
      ]),
    ];
  }
  if (view.status !== 'closed') return [];
  const board = view.poll.quiz ? quiz.boards.get(view.poll.quiz.id) : undefined;
  if (board?.final) {
    const answer = (view.poll.quiz?.correct ?? []).map((i) => view.poll.options[i] ?? '').join(', ');
    return [el('p', { className: 'ld-quiz-answer', text: `✓ ${answer}` }), renderPodium(board)];
  }
  // Side by side: the answers and the leaderboard both fit a slide without pushing it off the bottom.
  return [el('div', { className: 'ld-quiz-after' }, [...(view.results ? [renderResults(view)] : []), ...(board ? [renderLeaderboard(board)] : [])])];
}
