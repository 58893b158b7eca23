/**
 * The quizzes' section of the export: every quiz's final standings (rank, nickname, points and
 * each answer's outcome). The questions themselves, with their counts, are in the polls section.
 * JSON: `quizzes[]` of `{id, players[{rank, name, points, answers[{poll, correct, points}]}]}`.
 * CSV: one `quiz_player` row per player (text: nickname, votes: points, state: `rank N`).
 */
import type { Talk } from '../../../talk/talk.ts';
import type { ExportSection } from '../../export/index.ts';
import type { LiveQuiz } from './live.ts';

export function quizExportSection(quizOf: (talk: Talk) => LiveQuiz | undefined): ExportSection {
  const quizzes = (talk: Talk) => {
    const quiz = quizOf(talk);
    return quiz ? quiz.quizIds().map((id) => ({ id, players: quiz.players(id) })) : [];
  };
  return {
    name: 'quizzes',
    json: (talk) =>
      quizzes(talk).map(({ id, players }) => ({
        id,
        players: players.map(({ rank, name, points, answers }) => ({ rank, name, points, answers })),
      })),
    rows: (talk) =>
      quizzes(talk).flatMap(({ id, players }) =>
        players.map((p) => ({ kind: 'quiz_player', id, slide: '', text: p.name, name: p.name, votes: p.points, state: `rank ${p.rank}`, at: null })),
      ),
  };
}
