/** The leaderboard after each quiz question, and the podium once the quiz is over (screen and console). */
import type { QuizBoardMessage } from '../../protocol/quiz.ts';
import { el } from '../dom.ts';

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
