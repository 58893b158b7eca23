import { cleanLine } from '../../../protocol/qa.ts';
import { POLL_LIMITS, type BallotValue, type PollDefinition, type PollResults } from '../../../protocol/polls.ts';
import { isFullRanking, tallyRanking } from './ranking.ts';
import { denySet, isDenied, wordsOf } from './words.ts';

/** One participant's ballot and the seq it was stored at. */
export interface Ballot {
  value: BallotValue;
  seq: number;
  /** quiz: milliseconds from the question's opening to this answer (the server's clock). */
  ms?: number;
  /** The client's idempotency key it was sent with: a resend after a lost ack is recognised even once a quiz refuses new answers. */
  key?: string;
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
 * Choices are option indexes: exactly one for single and rating, one or more distinct for multiple,
 * every option once for ranking; a quiz question takes as many as it has correct options (one, or one or more).
 */
export function checkBallot(poll: PollDefinition, value: BallotValue): { ok: true; value: BallotValue } | { ok: false; reason: string } {
  if (poll.type === 'words') return checkWords(poll, value);
  if (poll.type === 'text') {
    if (!('text' in value)) return { ok: false, reason: `A ${poll.type} poll takes text.` };
    const text = normalizeText(value.text);
    const max = POLL_LIMITS.text;
    if (text === '') return { ok: false, reason: 'The answer is empty.' };
    if ([...text].length > max) return { ok: false, reason: `At most ${max} characters.` };
    return { ok: true, value: { text } };
  }
  if (!('choices' in value)) return { ok: false, reason: `A ${poll.type} poll takes choices.` };
  const choices = value.choices;
  if (poll.type === 'ranking') {
    // The order is the ballot: kept as sent, not sorted.
    if (!isFullRanking(choices, poll.options.length)) return { ok: false, reason: 'Rank every option exactly once.' };
    return { ok: true, value: { choices: [...choices] } };
  }
  if (choices.some((c) => c >= poll.options.length)) return { ok: false, reason: 'No such option.' };
  if (new Set(choices).size !== choices.length) return { ok: false, reason: 'An option is chosen twice.' };
  // A quiz question with several correct options is answered like a multiple-choice poll.
  const several = poll.type === 'multiple' || (poll.type === 'quiz' && poll.quiz?.several === true);
  if (several ? choices.length < 1 : choices.length !== 1) {
    return { ok: false, reason: several ? 'Choose at least one option.' : 'Choose exactly one option.' };
  }
  return { ok: true, value: { choices: [...choices].sort((a, b) => a - b) } };
}

/**
 * A word-cloud ballot: up to the poll's `maxWords` words (default 1), each normalised (words.ts)
 * and within POLL_LIMITS.word. Stored as `{text}` for one word, `{words}` for several.
 */
function checkWords(poll: PollDefinition, value: BallotValue): { ok: true; value: BallotValue } | { ok: false; reason: string } {
  if ('choices' in value) return { ok: false, reason: 'A words poll takes text.' };
  const max = poll.maxWords ?? 1;
  const given = 'words' in value ? value.words : [value.text];
  if (given.length > max) return { ok: false, reason: max === 1 ? 'One word (or two) only.' : `At most ${max} words.` };
  const words = wordsOf({ words: given });
  if (words.length === 0) return { ok: false, reason: 'The answer is empty.' };
  if (words.some((w) => [...w].length > POLL_LIMITS.word)) return { ok: false, reason: `At most ${POLL_LIMITS.word} characters a word.` };
  return { ok: true, value: max === 1 && words.length === 1 ? { text: words[0]! } : { words } };
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
  if (poll.type === 'ranking') return rankingResults(poll, ballots);
  const deny = denySet(poll.deny);
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
      // One entry per word; a denied word is never counted, so never shown nor exported.
      for (const word of wordsOf(value)) {
        if (isDenied(word, deny)) continue;
        const entry = words.get(word) ?? { text: word, count: 0 };
        entry.count++;
        words.set(word, entry);
      }
    } else if ('text' in value) {
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

function rankingResults(poll: PollDefinition, ballots: Iterable<Ballot>): PollResults {
  const orders: number[][] = [];
  for (const { value } of ballots) if ('choices' in value) orders.push(value.choices);
  const { points, ranks } = tallyRanking(poll.options.length, orders);
  return { ballots: orders.length, counts: points, words: [], answers: [], ranks };
}
