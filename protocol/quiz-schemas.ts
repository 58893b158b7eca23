/**
 * Valibot schemas for the quiz messages (protocol/quiz.ts) in both directions: clients' are merged
 * into parse.ts's table; servers' let tests (and anyone) check what the server sends.
 */
import * as v from 'valibot';
import { QUIZ_LIMITS, type QuizClientMessage, type QuizServerMessage } from './quiz.ts';

const pollId = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
const idemKey = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\x21-\x7e]+$/));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Frame-level bound; the handler tidies the name and checks QUIZ_LIMITS.name itself. */
const nameIn = v.pipe(v.string(), v.maxLength(QUIZ_LIMITS.name * 4));
/** QUIZ_LIMITS.name counts characters; a string's length counts UTF-16 units (an emoji is two). */
const nameOut = v.pipe(v.string(), v.minLength(1), v.maxLength(QUIZ_LIMITS.name * 2));

type ClientSchemas = { [K in QuizClientMessage['type']]: v.GenericSchema<unknown, Extract<QuizClientMessage, { type: K }>> };
type ServerSchemas = { [K in QuizServerMessage['type']]: v.GenericSchema<unknown, Extract<QuizServerMessage, { type: K }>> };

export const quizClientSchemas = {
  quizName: v.object({ type: v.literal('quizName'), key: idemKey, name: nameIn }),
} satisfies ClientSchemas;

const standing = v.strictObject({ rank: v.pipe(count, v.minValue(1)), name: nameOut, points: count });

export const quizServerSchemas = {
  quizClock: v.strictObject({
    type: v.literal('quizClock'),
    poll: pollId,
    closesIn: count,
    seconds: v.pipe(count, v.minValue(QUIZ_LIMITS.minSeconds), v.maxValue(QUIZ_LIMITS.maxSeconds)),
  }),
  quizBoard: v.strictObject({
    type: v.literal('quizBoard'),
    quiz: pollId,
    closed: count,
    total: count,
    final: v.boolean(),
    leaders: v.pipe(v.array(standing), v.maxLength(QUIZ_LIMITS.leaders)),
    players: count,
  }),
  quizScore: v.strictObject({
    type: v.literal('quizScore'),
    quiz: pollId,
    name: nameOut,
    points: count,
    rank: v.pipe(count, v.minValue(1)),
    players: count,
    answers: v.array(v.strictObject({ poll: pollId, correct: v.boolean(), points: count })),
  }),
} satisfies ServerSchemas;
