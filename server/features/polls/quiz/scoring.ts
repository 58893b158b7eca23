/**
 * Quiz scores: pure functions of the answers, so the live count, a restart's replay and the
 * export all agree. The formula is QUIZ_POINTS's (protocol/quiz.ts) and docs/polls.md's.
 */
import { QUIZ_POINTS, type QuizAnswerResult, type QuizStanding } from '../../../../protocol/quiz.ts';

/** Whether the chosen options are exactly the correct ones. */
export function isCorrect(choices: readonly number[], correct: readonly number[]): boolean {
  if (choices.length !== correct.length) return false;
  const want = new Set(correct);
  return choices.every((c) => want.has(c));
}

/** Points for one answer given `ms` after the question opened, with `seconds` to answer. */
export function pointsFor(correct: boolean, ms: number, seconds: number): number {
  if (!correct) return 0;
  const left = 1 - Math.min(1, Math.max(0, ms / (seconds * 1000)));
  return Math.round(QUIZ_POINTS.correct + QUIZ_POINTS.speed * left);
}

export interface QuizAnswer {
  choices: readonly number[];
  /** Milliseconds from the question's opening to the answer being stored. */
  ms: number;
  /** The answer's seq: orders who played first. */
  seq: number;
}

export interface QuizQuestion {
  poll: string;
  correct: readonly number[];
  seconds: number;
  /** Only closed questions are scored: nobody learns whether they were right while others still answer. */
  closed: boolean;
  answers: ReadonlyMap<string, QuizAnswer>;
}

export interface Player extends QuizStanding {
  participant: string;
  answers: QuizAnswerResult[];
}

/**
 * Everyone who answered a closed question, best first. The same points share a rank (1, 1, 3:
 * competition ranking); within a tie the order is stable: who first answered in this quiz comes
 * first, which a replay reproduces. A player without a nickname is `Player N`, N counting players
 * in that same order of first answers.
 */
export function standings(questions: readonly QuizQuestion[], nameOf: (participant: string) => string | undefined): Player[] {
  const players = new Map<string, { points: number; first: number; answers: QuizAnswerResult[] }>();
  for (const q of questions) {
    if (!q.closed) continue;
    for (const [participant, answer] of q.answers) {
      const right = isCorrect(answer.choices, q.correct);
      const points = pointsFor(right, answer.ms, q.seconds);
      const player = players.get(participant) ?? { points: 0, first: answer.seq, answers: [] };
      player.points += points;
      player.first = Math.min(player.first, answer.seq);
      player.answers.push({ poll: q.poll, correct: right, points });
      players.set(participant, player);
    }
  }
  const byArrival = [...players.entries()].sort((a, b) => a[1].first - b[1].first);
  const numbered = new Map(byArrival.map(([participant], i) => [participant, i + 1]));
  const ordered = byArrival.sort((a, b) => b[1].points - a[1].points || a[1].first - b[1].first);
  let rank = 0;
  return ordered.map(([participant, p], i) => {
    if (i === 0 || ordered[i - 1]![1].points !== p.points) rank = i + 1;
    return { participant, rank, name: nameOf(participant) ?? `Player ${numbered.get(participant)}`, points: p.points, answers: p.answers };
  });
}
