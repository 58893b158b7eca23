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

  /** False when a batch is skipped: past today's limits (an older version's log), or raced past them by another node's batch. */
  apply(event: StoredEvent): boolean {
    if (event.kind === INK_EVENTS.points) return this.add(event.data as PointsData);
    if (event.kind === INK_EVENTS.cleared) this.clear((event.data as ClearedData).slide);
    return true;
  }

  private add(data: PointsData): boolean {
    if (this.refusal(data) !== null) return false;
    const existing = this.strokes.get(data.stroke);
    if (existing) {
      existing.points.push(...data.points);
      return true;
    }
    const stroke: Stroke = { id: data.stroke, slide: { ...data.slide }, color: data.color, width: data.width, points: [...data.points] };
    this.strokes.set(stroke.id, stroke);
    const key = slideKeyOf(stroke.slide);
    const list = this.slides.get(key);
    if (list) list.push(stroke);
    else this.slides.set(key, [stroke]);
    return true;
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
