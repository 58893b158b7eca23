/**
 * The drawings of one talk, rebuilt from the log: strokes by slide, each the concatenation of
 * its batches. A clear drops a slide's strokes; the batches stay in the log (the export and a
 * replay read them in order, so a cleared drawing never comes back).
 */
import { LIVE_LIMITS, slideKeyOf, type InkColor, type SlideKey, type Stroke } from '../../../protocol/live.ts';
import type { StoredEvent } from '../../store/types.ts';

export const INK_EVENTS = { points: 'ink.points', cleared: 'ink.cleared' } as const;

export interface PointsData {
  stroke: string;
  slide: SlideKey;
  color: InkColor;
  width: number;
  points: number[];
}

export interface ClearedData {
  slide: SlideKey;
}

/** Why a batch cannot be added; null when it can. */
export type InkRefusal = 'slide_full' | 'stroke_full' | 'other_slide' | null;

export class InkBoard {
  /** Strokes by slide key, in drawing order; a stroke id maps to its slide's stroke. */
  private readonly slides = new Map<string, Stroke[]>();
  private readonly strokes = new Map<string, Stroke>();

  /** Checks a batch against the limits before it is recorded. */
  refusal(data: PointsData): InkRefusal {
    const existing = this.strokes.get(data.stroke);
    if (existing) {
      if (slideKeyOf(existing.slide) !== slideKeyOf(data.slide)) return 'other_slide';
      return existing.points.length + data.points.length > LIVE_LIMITS.strokePoints * 2 ? 'stroke_full' : null;
    }
    return (this.slides.get(slideKeyOf(data.slide))?.length ?? 0) >= LIVE_LIMITS.slideStrokes ? 'slide_full' : null;
  }

  apply(event: StoredEvent): void {
    if (event.kind === INK_EVENTS.points) this.add(event.data as PointsData);
    else if (event.kind === INK_EVENTS.cleared) this.clear((event.data as ClearedData).slide);
  }

  private add(data: PointsData): void {
    // A replayed log may hold batches past today's limits (older versions): they are skipped, not fatal.
    if (this.refusal(data) !== null) return;
    const existing = this.strokes.get(data.stroke);
    if (existing) {
      existing.points.push(...data.points);
      return;
    }
    const stroke: Stroke = { id: data.stroke, slide: { ...data.slide }, color: data.color, width: data.width, points: [...data.points] };
    this.strokes.set(stroke.id, stroke);
    const key = slideKeyOf(stroke.slide);
    const list = this.slides.get(key);
    if (list) list.push(stroke);
    else this.slides.set(key, [stroke]);
  }

  private clear(slide: SlideKey): void {
    const key = slideKeyOf(slide);
    for (const stroke of this.slides.get(key) ?? []) this.strokes.delete(stroke.id);
    this.slides.delete(key);
  }

  /** Every stroke, slide by slide, in drawing order. */
  all(): Stroke[] {
    return [...this.slides.values()].flat();
  }
}
