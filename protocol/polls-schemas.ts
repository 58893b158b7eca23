/**
 * Schemas of the poll, reaction and pace messages (protocol/polls.ts) in both directions. The
 * client side is polls-parse.ts's table; the server side is what the server promises to send.
 */
import * as v from 'valibot';
import { pollSchemas } from './polls-parse.ts';
import { POLL_LIMITS, POLL_TYPES, REACTIONS, type PollServerMessage, type PollView } from './polls.ts';
import { QUIZ_LIMITS } from './quiz.ts';

const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const optionIndex = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(POLL_LIMITS.options - 1));

export const pollClientSchemas = pollSchemas;

const pollDefinition = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/), v.maxLength(64)),
  type: v.picklist(POLL_TYPES),
  question: v.string(),
  options: v.pipe(
    v.array(v.string()),
    v.maxLength(POLL_LIMITS.options),
    v.description('single, multiple: the choices; rating: the labels of the scale ("1".."5" unless the deck names them); words, text: empty.'),
  ),
  results: v.pipe(v.picklist(['live', 'closed']), v.description('live: the audience sees results while open; closed: only once closed.')),
  open: v.pipe(v.picklist(['on-slide', 'manual']), v.description('on-slide: opens itself the first time its slide is shown.')),
  slide: v.pipe(v.nullable(v.strictObject({ h: count, v: count })), v.description('The slide the poll is written on; null for a poll created live.')),
  maxWords: v.optional(v.pipe(count, v.minValue(1), v.maxValue(POLL_LIMITS.wordsPerPerson), v.description('words: how many words one person may give (default 1).'))),
  deny: v.optional(v.pipe(v.array(v.string()), v.maxLength(POLL_LIMITS.deny), v.description('Never sent: the deny-list stays on the server (views leave it out).'))),
  quiz: v.optional(
    v.pipe(
      v.strictObject({
        id: v.string(),
        seconds: v.pipe(count, v.minValue(QUIZ_LIMITS.minSeconds), v.maxValue(QUIZ_LIMITS.maxSeconds)),
        correct: v.optional(v.pipe(v.array(optionIndex), v.description('The right options: to staff always, to others once the question closed.'))),
        several: v.pipe(v.boolean(), v.description('More than one option is right: phones let people pick several.')),
      }),
      v.description('quiz: the quiz it belongs to, its time limit and its right answers.'),
    ),
  ),
});

export const pollResultsSchema = v.strictObject({
  ballots: v.pipe(count, v.description('Participants with a ballot in.')),
  counts: v.pipe(v.array(count), v.description('single, multiple, rating: ballots per option, in option order; words, text: empty.')),
  words: v.pipe(
    v.array(v.strictObject({ text: v.string(), count: v.pipe(count, v.minValue(1)) })),
    v.maxLength(POLL_LIMITS.wordsShown),
    v.description('words: the most frequent entries, most frequent first; other types: empty.'),
  ),
  answers: v.pipe(v.array(v.string()), v.maxLength(POLL_LIMITS.answersShown), v.description('text: the newest answers, oldest first; other types: empty.')),
  ranks: v.optional(v.pipe(v.array(v.pipe(v.number(), v.minValue(0))), v.description('ranking: average rank per option (1 = first), 0 while nobody ranked; counts then hold Borda points.'))),
});

const ballotValue = v.union([v.strictObject({ choices: v.array(optionIndex) }), v.strictObject({ text: v.string() }), v.strictObject({ words: v.array(v.string()) })]);

export const pollViewSchema = v.strictObject({
  poll: pollDefinition,
  status: v.picklist(['ready', 'open', 'closed']),
  seq: v.pipe(seq, v.description('The seq of the last stored change in this view: the per-poll floor for results.')),
  results: v.pipe(v.nullable(pollResultsSchema), v.description('null while this client may not see them.')),
  mine: v.optional(v.pipe(ballotValue, v.description("This participant's ballot; only in a welcome, only to its owner."))),
}) satisfies v.GenericSchema<unknown, PollView>;

const paceWeights = v.strictObject({ fast: v.pipe(v.number(), v.minValue(0)), slow: v.pipe(v.number(), v.minValue(0)) });

export const reactionCounts = v.strictObject({
  like: v.optional(count),
  love: v.optional(count),
  laugh: v.optional(count),
  clap: v.optional(count),
  wow: v.optional(count),
});
// The five keys above are REACTIONS: a reaction added there must be added here.
true satisfies (typeof REACTIONS)[number] extends keyof v.InferOutput<typeof reactionCounts> ? true : false;

export const pollServerSchemas = {
  poll: v.strictObject({ type: v.literal('poll'), seq, view: pollViewSchema }),
  results: v.strictObject({
    type: v.literal('results'),
    poll: v.string(),
    asOf: v.pipe(seq, v.description('The seq of the newest change counted; ignore results below the view held.')),
    results: pollResultsSchema,
  }),
  reactions: v.strictObject({ type: v.literal('reactions'), counts: v.pipe(reactionCounts, v.description('Reactions received since the previous message.')) }),
  paceReport: v.strictObject({
    type: v.literal('paceReport'),
    slides: v.pipe(
      v.record(v.pipe(v.string(), v.regex(/^\d+\/\d+$/)), paceWeights),
      v.description('Per slide "h/v": decayed weights (each signal halves every minute, forgotten after five).'),
    ),
    active: v.pipe(v.strictObject({ fast: count, slow: count }), v.description('Participants holding a signal of each kind now.')),
  }),
} satisfies { [K in PollServerMessage['type']]: v.GenericSchema<unknown, Extract<PollServerMessage, { type: K }>> };
