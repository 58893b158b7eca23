/**
 * Drawings and the laser pointer over a reveal.js deck. The layer lives inside reveal's
 * `.slides` element, sized to the deck's slide size, so reveal's own scaling maps slide space
 * onto the screen: a point (x, y) in slide pixels lands on the same spot of the slide on a
 * projector, a laptop or a phone. It shows the strokes of the slide the deck shows (on a phone
 * browsing back, that slide's strokes).
 */
import './live.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import { sameSlide, slideKeyOf, type Point, type SlideKey, type Stroke } from '../../protocol/live.ts';
import type { RevealDeck } from '../deck-state.ts';
import { el } from '../dom.ts';

/** Backing pixels per slide pixel: a 960-wide slide on a 1920 projector stays sharp. */
const DENSITY = 2;
/** A pointer not heard of for this long is put away (its "put away" may have been lost with a link). */
const POINTER_TIMEOUT_MS = 4000;

export class InkLayer {
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  private readonly dot: HTMLDivElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly bySlide = new Map<string, Stroke[]>();
  private readonly strokes = new Map<string, Stroke>();
  private pointerTimer: ReturnType<typeof setTimeout> | null = null;
  private width = 0;
  private height = 0;

  constructor(private readonly deck: RevealDeck) {
    this.canvas = el('canvas', { className: 'ld-ink-canvas', attrs: { hidden: '' } });
    this.dot = el('div', { className: 'ld-pointer', attrs: { hidden: '' } });
    this.element = el('div', { className: 'ld-ink', attrs: { 'aria-hidden': 'true' } }, [this.canvas, this.dot]);
    this.context = this.canvas.getContext('2d')!;
    deck.getSlidesElement()?.append(this.element);
    this.resize();
    deck.on('resize', () => this.resize());
    deck.on('slidechanged', () => this.redraw());
    deck.on('overviewshown', () => void (this.element.hidden = true));
    deck.on('overviewhidden', () => {
      this.element.hidden = false;
      this.redraw();
    });
  }

  /** The slide this deck shows now. */
  shown(): SlideKey {
    const { h, v } = this.deck.getIndices();
    return { indexh: h, indexv: v ?? 0 };
  }

  /** A point on the page (client pixels) in slide space, or null when it is off the slide. */
  toSlide(clientX: number, clientY: number): Point | null {
    const rect = this.element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return null;
    const x = ((clientX - rect.left) / rect.width) * this.width;
    const y = ((clientY - rect.top) / rect.height) * this.height;
    if (x < 0 || y < 0 || x > this.width || y > this.height) return null;
    return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
  }

  receive(message: ServerMessage): void {
    switch (message.type) {
      case 'ink_snapshot':
        this.bySlide.clear();
        this.strokes.clear();
        for (const stroke of message.strokes) this.add(stroke);
        this.redraw();
        break;
      case 'ink': {
        const { stroke: id, slide, color, width, points } = message;
        const existing = this.strokes.get(id);
        if (existing) {
          const from = existing.points.length - 2;
          existing.points.push(...points);
          if (this.isShown(slide)) this.paint(existing, from);
        } else {
          const stroke: Stroke = { id, slide, color, width, points: [...points] };
          this.add(stroke);
          if (this.isShown(slide)) this.paint(stroke, 0);
        }
        break;
      }
      case 'ink_cleared':
        for (const stroke of this.bySlide.get(slideKeyOf(message.slide)) ?? []) this.strokes.delete(stroke.id);
        this.bySlide.delete(slideKeyOf(message.slide));
        if (this.isShown(message.slide)) this.redraw();
        break;
      case 'pointer':
        this.point(message.at && this.isShown(message.slide) ? message.at : null);
        break;
      default:
        break;
    }
  }

  /** Shows the pointer at a slide point, or hides it. */
  point(at: Point | null): void {
    if (this.pointerTimer) clearTimeout(this.pointerTimer);
    this.pointerTimer = null;
    this.dot.hidden = at === null;
    if (!at) return;
    this.dot.style.left = `${at.x}px`;
    this.dot.style.top = `${at.y}px`;
    this.pointerTimer = setTimeout(() => this.point(null), POINTER_TIMEOUT_MS);
  }

  /** Draws a piece of a stroke being drawn here (the console), before the server's echo arrives. */
  sketch(color: string, width: number, points: readonly number[]): void {
    this.paint({ id: '', slide: this.shown(), color: color as Stroke['color'], width, points: [...points] }, 0);
  }

  private isShown(slide: SlideKey): boolean {
    return sameSlide(slide, this.shown());
  }

  private add(stroke: Stroke): void {
    this.strokes.set(stroke.id, stroke);
    const key = slideKeyOf(stroke.slide);
    const list = this.bySlide.get(key);
    if (list) list.push(stroke);
    else this.bySlide.set(key, [stroke]);
  }

  private resize(): void {
    const { width, height } = this.deck.getComputedSlideSize();
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.element.style.width = `${width}px`;
    this.element.style.height = `${height}px`;
    this.canvas.width = Math.round(width * DENSITY);
    this.canvas.height = Math.round(height * DENSITY);
    this.redraw();
  }

  redraw(): void {
    this.context.setTransform(1, 0, 0, 1, 0, 0);
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const strokes = this.bySlide.get(slideKeyOf(this.shown())) ?? [];
    // An empty canvas stays out of the page: a slide-sized layer composited on every frame of
    // every transition costs a phone (or a GPU-less projector PC) for nothing.
    this.canvas.hidden = strokes.length === 0;
    for (const stroke of strokes) this.paint(stroke, 0);
  }

  /** Paints a stroke from point index `from` (a flat-list index) on. */
  private paint(stroke: Stroke, from: number): void {
    const ctx = this.context;
    const p = stroke.points;
    const start = Math.max(0, from);
    if (p.length - start < 2) return;
    this.canvas.hidden = false;
    ctx.setTransform(DENSITY, 0, 0, DENSITY, 0, 0);
    ctx.strokeStyle = stroke.color;
    ctx.fillStyle = stroke.color;
    ctx.lineWidth = stroke.width;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (p.length - start === 2) {
      // A single point is a dot.
      ctx.beginPath();
      ctx.arc(p[start]!, p[start + 1]!, stroke.width / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(p[start]!, p[start + 1]!);
    for (let i = start + 2; i + 1 < p.length; i += 2) ctx.lineTo(p[i]!, p[i + 1]!);
    ctx.stroke();
  }
}
