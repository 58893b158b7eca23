/**
 * Live presenting on the wire: the laser pointer, pen drawing ("ink") on slides, media on
 * slides played in step, and the chat wall on the screen. Shared by the server and the
 * browsers: no Node, no DOM. docs/protocol.md ("Pointer, drawing, media and the chat wall") is its prose form.
 *
 * Who may send what (the server enforces it): only presenter connections send `pointer`,
 * `stroke`, `ink_clear`, `media` and `wall`.
 * Who hears what:
 *  - `pointer`, `ink`, `ink_cleared`, `media_state`: audience and screen (and ink also staff);
 *  - `wall_state`: presenter, moderator and screen; only the screen's copy carries chat lines.
 * Coordinates are in slide space: 0..width and 0..height of reveal.js's slide size (the deck's
 * `width`/`height`, 960×700 by default), so every screen size maps the same points.
 */
import type { ChatLine } from './qa.ts';

/** A slide, without its fragment step: drawings and media belong to the slide. */
export interface SlideKey {
  indexh: number;
  indexv: number;
}

export const INK_COLORS = ['#ff3b30', '#ffcc00', '#34c759', '#0a84ff', '#ffffff', '#111111'] as const;
export type InkColor = (typeof INK_COLORS)[number];

export const LIVE_LIMITS = {
  /** The server sends at most one pointer update per this many ms (20 a second); the console sends no faster. */
  pointerIntervalMs: 50,
  /** The console sends a stroke's points in batches, at most one per this many ms while the pen moves. */
  strokeBatchMs: 50,
  /** Points (x,y pairs) in one `stroke` message. */
  batchPoints: 200,
  /** Points in one stroke, all batches together. */
  strokePoints: 5000,
  /** Strokes on one slide. */
  slideStrokes: 500,
  /** Largest coordinate accepted (slide sizes are a few thousand pixels at most). */
  maxCoordinate: 20_000,
  /** Stroke width, in slide pixels. */
  width: { min: 1, max: 48 },
  /** Media elements (video and audio) counted on one slide. */
  slideMedia: 64,
  /** Chat lines the screen's wall gets when it turns on. */
  wallLines: 30,
} as const;

export interface Point {
  x: number;
  y: number;
}

/** A stroke as stored and sent in snapshots: its points as a flat [x0, y0, x1, y1, …] list. */
export interface Stroke {
  id: string;
  slide: SlideKey;
  color: InkColor;
  width: number;
  points: number[];
}

/**
 * What is playing: the `index`-th `<video>`/`<audio>` of a slide (document order), whether it
 * plays, and its position in seconds at server time `at` (epoch ms). A playing element is at
 * `position + (serverNow - at) / 1000`.
 */
export interface MediaState {
  slide: SlideKey;
  index: number;
  playing: boolean;
  position: number;
  at: number;
}

/* ---------------- client → server ---------------- */

/** The laser pointer moved (`at`), or was put away (null). Ephemeral: never stored. */
export interface PointerMessage {
  type: 'pointer';
  slide: SlideKey;
  at: Point | null;
}

/** A batch of points of one stroke; the first batch of an id starts the stroke. Stored. */
export interface StrokeMessage {
  type: 'stroke';
  /** Made by the console, unique within the talk. */
  stroke: string;
  slide: SlideKey;
  color: InkColor;
  width: number;
  points: number[];
}

export interface InkClearMessage {
  type: 'ink_clear';
  slide: SlideKey;
}

/** The presenter played, paused or seeked a media element of a slide. */
export interface MediaControlMessage {
  type: 'media';
  slide: SlideKey;
  index: number;
  playing: boolean;
  position: number;
}

/** Turns the screen's chat wall on or off, for one slide (`slide`) or the whole talk (null). */
export interface WallMessage {
  type: 'wall';
  on: boolean;
  slide: SlideKey | null;
}

export type LiveClientMessage = PointerMessage | StrokeMessage | InkClearMessage | MediaControlMessage | WallMessage;

/* ---------------- server → client ---------------- */

/** The pointer, coalesced to at most one per LIVE_LIMITS.pointerIntervalMs. Carries no seq. */
export interface PointerShownMessage {
  type: 'pointer';
  slide: SlideKey;
  at: Point | null;
}

/** Points added to a stroke (a new stroke when its id is new). */
export interface InkMessage {
  type: 'ink';
  seq: number;
  stroke: string;
  slide: SlideKey;
  color: InkColor;
  width: number;
  points: number[];
}

export interface InkClearedMessage {
  type: 'ink_cleared';
  seq: number;
  slide: SlideKey;
}

/** Every stroke of the talk, right after the welcome (and after a resume). */
export interface InkSnapshotMessage {
  type: 'ink_snapshot';
  seq: number;
  strokes: Stroke[];
}

/** The media state, after the welcome and whenever the presenter plays, pauses or seeks. */
export interface MediaStateMessage {
  type: 'media_state';
  seq: number;
  media: MediaState | null;
  /** The server's clock when it sent this (epoch ms), for clients that have no offset yet. */
  now: number;
}

export interface WallStateMessage {
  type: 'wall_state';
  seq: number;
  on: boolean;
  /** The one slide it shows on, or null for the whole talk. */
  slide: SlideKey | null;
  /** The screen's copy while on: the newest chat lines, oldest first (then chat_line / chat_removed follow). */
  lines?: ChatLine[];
}

export type LiveServerMessage =
  | PointerShownMessage
  | InkMessage
  | InkClearedMessage
  | InkSnapshotMessage
  | MediaStateMessage
  | WallStateMessage;

export const LIVE_ERROR_CODES = {
  ink_full: 'This slide or stroke holds as much drawing as it can; clear the slide first.',
} as const;

/** "h/v": how strokes and media are keyed. */
export function slideKeyOf(slide: SlideKey): string {
  return `${slide.indexh}/${slide.indexv}`;
}

export function sameSlide(a: SlideKey, b: SlideKey): boolean {
  return a.indexh === b.indexh && a.indexv === b.indexv;
}
