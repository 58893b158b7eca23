import { cleanLine } from '../../../protocol/qa.ts';
import { POLL_LIMITS, type BallotValue, type PollDefinition, type PollResults } from '../../../protocol/polls.ts';

/** One participant's ballot and the seq it was stored at. */
export interface Ballot {
  value: BallotValue;
  seq: number;
}

/**
 * Collapses spaces and drops control and direction-override characters (so an answer cannot
 * display differently from what was typed); word-cloud entries are then grouped case-insensitively.
 */
export function normalizeText(text: string): string {
  return cleanLine(text);
}

/**
 * Checks a ballot against its poll; returns the ballot to store (text tidied) or why not.
 * Choices are option indexes: exactly one for single and rating, one or more distinct for multiple.
 */
export function checkBallot(poll: PollDefinition, value: BallotValue): { ok: true; value: BallotValue } | { ok: false; reason: string } {
  if (poll.type === 'words' || poll.type === 'text') {
    if (!('text' in value)) return { ok: false, reason: `A ${poll.type} poll takes text.` };
    const text = normalizeText(value.text);
    const max = poll.type === 'words' ? POLL_LIMITS.word : POLL_LIMITS.text;
    if (text === '') return { ok: false, reason: 'The answer is empty.' };
    if ([...text].length > max) return { ok: false, reason: `At most ${max} characters.` };
    return { ok: true, value: { text } };
  }
  if (!('choices' in value)) return { ok: false, reason: `A ${poll.type} poll takes choices.` };
  const choices = value.choices;
  if (choices.some((c) => c >= poll.options.length)) return { ok: false, reason: 'No such option.' };
  if (new Set(choices).size !== choices.length) return { ok: false, reason: 'An option is chosen twice.' };
  if (poll.type === 'multiple' ? choices.length < 1 : choices.length !== 1) {
    return { ok: false, reason: poll.type === 'multiple' ? 'Choose at least one option.' : 'Choose exactly one option.' };
  }
  return { ok: true, value: { choices: [...choices].sort((a, b) => a - b) } };
}

/** How much of the words and answers results carry: what a screen can show, not everything. */
export interface TallyShown {
  words: number;
  answers: number;
}

const SHOWN: TallyShown = { words: POLL_LIMITS.wordsShown, answers: POLL_LIMITS.answersShown };

/**
 * Absolute results from the current ballots (one per participant, in the order they were last
 * cast). Recomputed from scratch: exact by construction, and cheap at coalesced rates. The export
 * passes `Infinity` for both bounds to get every word and answer.
 */
export function tally(poll: PollDefinition, ballots: Iterable<Ballot>, shown: TallyShown = SHOWN): PollResults {
  const counts = poll.options.map(() => 0);
  const words = new Map<string, { text: string; count: number }>();
  const answers: string[] = [];
  let total = 0;
  for (const { value } of ballots) {
    total++;
    if ('choices' in value) {
      // A ballot stored before the deck changed may point past the options; it is not counted.
      for (const c of value.choices) if (c < counts.length) counts[c]! += 1;
    } else if (poll.type === 'words') {
      const key = value.text.toLowerCase();
      const entry = words.get(key) ?? { text: value.text, count: 0 };
      entry.count++;
      words.set(key, entry);
    } else {
      answers.push(value.text);
    }
  }
  return {
    ballots: total,
    counts,
    words: [...words.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, shown.words),
    answers: answers.slice(Math.max(0, answers.length - shown.answers)),
  };
}
