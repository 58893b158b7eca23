/**
 * Valibot schemas for the live presenting messages (protocol/live.ts), both directions:
 * `liveClientSchemas` is merged into parse.ts's table; `liveServerSchemas` describes what the
 * server sends, for tests that check every server message.
 */
import * as v from 'valibot';
import { INK_COLORS, LIVE_LIMITS, type LiveClientMessage, type LiveServerMessage, type SlideKey } from './live.ts';
import { chatLineSchema } from './qa-schemas.ts';

const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));
const coordinate = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIVE_LIMITS.maxCoordinate));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.pipe(v.number(), v.finite());
const strokeId = v.pipe(v.string(), v.minLength(1), v.maxLength(40), v.regex(/^[A-Za-z0-9_-]+$/));
const color = v.picklist(INK_COLORS);
const width = v.pipe(v.number(), v.finite(), v.minValue(LIVE_LIMITS.width.min), v.maxValue(LIVE_LIMITS.width.max));
/** Seconds into a media element: finite and not negative (a day at most). */
const position = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(86_400));

export const slideKeySchema = v.strictObject({ indexh: index, indexv: index }) satisfies v.GenericSchema<unknown, SlideKey>;
const point = v.nullable(v.strictObject({ x: coordinate, y: coordinate }));
/** Pairs of coordinates; at least one point. */
const points = (maxPoints: number) =>
  v.pipe(
    v.array(coordinate),
    v.minLength(2),
    v.maxLength(maxPoints * 2),
    v.check((list) => list.length % 2 === 0, 'Points come in x, y pairs.'),
  );

export const liveClientSchemas = {
  pointer: v.object({ type: v.literal('pointer'), slide: slideKeySchema, at: point }),
  stroke: v.object({ type: v.literal('stroke'), stroke: strokeId, slide: slideKeySchema, color, width, points: points(LIVE_LIMITS.batchPoints) }),
  ink_clear: v.object({ type: v.literal('ink_clear'), slide: slideKeySchema }),
  media: v.object({
    type: v.literal('media'),
    slide: slideKeySchema,
    index: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIVE_LIMITS.slideMedia - 1)),
    playing: v.boolean(),
    position,
  }),
  wall: v.object({ type: v.literal('wall'), on: v.boolean(), slide: v.nullable(slideKeySchema) }),
} satisfies { [K in LiveClientMessage['type']]: v.GenericSchema<unknown, Extract<LiveClientMessage, { type: K }>> };

const stroke = v.strictObject({ id: strokeId, slide: slideKeySchema, color, width, points: points(LIVE_LIMITS.strokePoints) });

export const liveServerSchemas = {
  pointer: v.strictObject({ type: v.literal('pointer'), slide: slideKeySchema, at: point }),
  ink: v.strictObject({ type: v.literal('ink'), seq, stroke: strokeId, slide: slideKeySchema, color, width, points: points(LIVE_LIMITS.batchPoints) }),
  ink_cleared: v.strictObject({ type: v.literal('ink_cleared'), seq, slide: slideKeySchema }),
  ink_snapshot: v.strictObject({ type: v.literal('ink_snapshot'), seq, strokes: v.array(stroke) }),
  media_state: v.strictObject({
    type: v.literal('media_state'),
    seq,
    media: v.nullable(
      v.strictObject({ slide: slideKeySchema, index: v.pipe(v.number(), v.integer(), v.minValue(0)), playing: v.boolean(), position, at: time }),
    ),
    now: time,
  }),
  wall_state: v.strictObject({
    type: v.literal('wall_state'),
    seq,
    on: v.boolean(),
    slide: v.nullable(slideKeySchema),
    lines: v.optional(v.array(chatLineSchema)),
  }),
} satisfies { [K in LiveServerMessage['type']]: v.GenericSchema<unknown, Extract<LiveServerMessage, { type: K }>> };
