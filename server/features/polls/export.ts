/**
 * The polls' section of the export (server/features/export): every poll with its full results,
 * for the presenter and moderators. Unlike a `results` message nothing is cut: every word and
 * every open answer is in it, and results hidden from the audience until close are included.
 */
import type { PollDefinition } from '../../../protocol/polls.ts';
import { slideRefLabel } from '../../../protocol/qa.ts';
import type { Talk } from '../../talk/talk.ts';
import type { ExportRow, ExportSection } from '../export/index.ts';
import type { PollBoard, PollEntry } from './board.ts';
import { tally } from './tally.ts';

const EVERYTHING = { words: Infinity, answers: Infinity };

function slideLabel(poll: PollDefinition): string {
  return poll.slide ? slideRefLabel({ indexh: poll.slide.h, indexv: poll.slide.v }) : '';
}

/**
 * JSON: `polls[]` of `{id, question, type, state, results, slide, ballots, options[{text, count}],
 * words[{text, count}], answers[]}` (`slide` is null for a poll created live).
 * CSV: a `poll` row (text: the question, votes: ballots, state: ready/open/closed), then one row per
 * `poll_option` (votes: how many chose it), `poll_word` (votes: how many sent it) or `poll_answer`.
 */
export function pollsExportSection(boardOf: (talk: Talk) => PollBoard | undefined): ExportSection {
  const entries = (talk: Talk): PollEntry[] => boardOf(talk)?.all() ?? [];
  return {
    name: 'polls',
    json: (talk) =>
      entries(talk).map((entry) => {
        const { poll } = entry;
        const results = tally(poll, entry.ballots.values(), EVERYTHING);
        return {
          id: poll.id,
          question: poll.question,
          type: poll.type,
          state: entry.status,
          results: poll.results,
          slide: poll.slide ? { ...poll.slide, label: slideLabel(poll) } : null,
          ballots: results.ballots,
          options: poll.options.map((text, i) => ({ text, count: results.counts[i] ?? 0 })),
          words: results.words,
          answers: results.answers,
        };
      }),
    rows: (talk) =>
      entries(talk).flatMap((entry) => {
        const { poll } = entry;
        const results = tally(poll, entry.ballots.values(), EVERYTHING);
        const slide = slideLabel(poll);
        const row = (kind: string, text: string, votes: number | null, state = ''): ExportRow => ({ kind, id: poll.id, slide, text, name: '', votes, state, at: null });
        return [
          row('poll', poll.question, results.ballots, entry.status),
          ...poll.options.map((option, i) => row('poll_option', option, results.counts[i] ?? 0)),
          ...results.words.map((word) => row('poll_word', word.text, word.count)),
          ...results.answers.map((answer) => row('poll_answer', answer, null)),
        ];
      }),
  };
}
