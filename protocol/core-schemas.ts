/**
 * Schemas of the core messages (protocol/messages.ts) in both directions: join, deck, presence,
 * ping, ack and errors. Client schemas are what the server accepts (parse.ts); server schemas
 * are what the server promises to send, strict (no field the document does not name), checked
 * on every frame in the integration tests and published as docs/asyncapi.json.
 */
import * as v from 'valibot';
import {
  ERROR_CODES,
  type ClientMessage,
  type DeckState,
  type ErrorCode,
  type Role,
  type ServerMessage,
} from './messages.ts';
import { pollViewSchema, reactionCounts } from './polls-schemas.ts';
import { EPOCH_MAX_LENGTH, RETRY_AFTER_MAX_MS } from './cluster.ts';

/** Indices are small non-negative integers; the server checks them against the deck. */
const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));

export const deckStateSchema = v.strictObject({
  indexh: index,
  indexv: index,
  indexf: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(10_000), v.description('Last shown fragment on the slide; -1 when none is shown.')),
  paused: v.boolean(),
  overview: v.boolean(),
}) satisfies v.GenericSchema<unknown, DeckState>;

/** Opaque ids and keys: printable ASCII, bounded. */
export const TOKEN = /^[\x21-\x7e]+$/;
export const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(TOKEN));

/** A talk's epoch: an opaque id of one lineage of seqs (protocol/cluster.ts). */
export const epoch = token(EPOCH_MAX_LENGTH);

export const ROLES = ['audience', 'screen', 'presenter', 'moderator'] as const satisfies readonly Role[];

/** Limits of hello's fields, in characters (all printable ASCII). */
export const HELLO_LIMITS = { talk: 64, key: 128, participant: 64 } as const;

export const coreClientSchemas = {
  hello: v.object({
    type: v.literal('hello'),
    v: v.pipe(v.number(), v.integer(), v.description('Protocol version the client speaks: 1.')),
    role: v.picklist(ROLES),
    talk: v.pipe(token(HELLO_LIMITS.talk), v.description('The join code; case, spaces and dashes are ignored.')),
    key: v.optional(v.pipe(token(HELLO_LIMITS.key), v.description('Presenter or moderator secret; ignored for other roles.'))),
    participant: v.optional(v.pipe(token(HELLO_LIMITS.participant), v.description('Stable anonymous id of the device; needed for audience writes.'))),
    lastSeq: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER), v.description('On a reconnect: the highest seq applied; asks for a resume.')),
    ),
    epoch: v.optional(v.pipe(epoch, v.description('Sent with lastSeq: the epoch that seq counts in. A different epoch than the server\'s gets a full welcome.'))),
  }),
  goto: v.object({ type: v.literal('goto'), state: deckStateSchema }),
  ping: v.object({ type: v.literal('ping'), t: v.pipe(v.number(), v.finite(), v.description('Any number; echoed in the pong.')) }),
} satisfies { [K in 'hello' | 'goto' | 'ping']: v.GenericSchema<unknown, Extract<ClientMessage, { type: K }>> };

/* ---------------- server → client ---------------- */

/** A stored change's number: rises per talk (it may restart after a server restart). */
export const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const connectionId = v.pipe(v.string(), v.minLength(1), v.description("A connection's id; deck moves it caused carry it as origin."));

const talkInfo = v.strictObject({
  title: v.string(),
  stacks: v.pipe(v.array(v.pipe(count, v.minValue(1))), v.description('stacks[h]: slides in column h (1 + vertical children).')),
  fragments: v.pipe(v.array(v.array(count)), v.description('fragments[h][v]: fragment steps on that slide as reveal.js counts them.')),
});

const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const coreServerSchemas = {
  welcome: v.strictObject({
    type: v.literal('welcome'),
    v: v.pipe(v.number(), v.integer()),
    seq,
    epoch: v.pipe(epoch, v.description("Names the talk's numbering; a client sends it back with lastSeq.")),
    role: v.picklist(ROLES),
    connection: connectionId,
    talk: talkInfo,
    deck: deckStateSchema,
    audience: count,
    notes: v.optional(v.pipe(v.record(v.pipe(v.string(), v.regex(/^\d+\/\d+$/)), v.string()), v.description('Speaker notes keyed "h/v"; presenter only.'))),
    polls: v.optional(v.array(pollViewSchema)),
    reactions: v.optional(v.pipe(reactionCounts, v.description('Reaction totals of the talk so far; presenter and moderator only.'))),
  }),
  resumed: v.strictObject({
    type: v.literal('resumed'),
    v: v.pipe(v.number(), v.integer()),
    seq: v.pipe(seq, v.description("The client's lastSeq, echoed: the missed messages after it follow.")),
    epoch,
    role: v.picklist(ROLES),
    connection: connectionId,
    audience: count,
  }),
  deck: v.strictObject({ type: v.literal('deck'), seq, state: deckStateSchema, origin: connectionId }),
  presence: v.strictObject({
    type: v.literal('presence'),
    audience: count,
    slow: v.optional(v.pipe(count, v.description('Audience connections on a fallback transport (docs: Fallback transports); to the presenter only.'))),
  }),
  pong: v.strictObject({
    type: v.literal('pong'),
    t: v.number(),
    server: v.optional(v.pipe(v.number(), v.description("The server's clock (epoch ms) when it answered, for the clock offset (media sync)."))),
  }),
  ack: v.strictObject({ type: v.literal('ack'), key: v.string(), seq }),
  error: v.strictObject({
    type: v.literal('error'),
    code: v.picklist(ERROR_CODE_LIST),
    message: v.pipe(v.string(), v.description('Human readable; may say how long to wait.')),
    ref: v.optional(v.pipe(v.string(), v.description('The type of the client message it answers.'))),
    key: v.optional(v.pipe(v.string(), v.description('The idempotency key of the refused write, as sent.'))),
    retryAfterMs: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RETRY_AFTER_MAX_MS), v.description('With unavailable: resend the write after about this long.')),
    ),
  }),
} satisfies { [K in 'welcome' | 'resumed' | 'deck' | 'presence' | 'pong' | 'ack' | 'error']: v.GenericSchema<unknown, Extract<ServerMessage, { type: K }>> };
