/**
 * The console's live tools: the laser pointer (hold L, or pick Laser and drag on the slide),
 * the pen with its colours and a clear, the screen's chat wall, and the media on the console's
 * slides (play, pause or seek one and the screen and phones follow).
 *
 * The pointer leaves at most once per LIVE_LIMITS.pointerIntervalMs and a stroke's points in
 * batches at most once per LIVE_LIMITS.strokeBatchMs, whatever rate the mouse reports at.
 */
import { randomId } from '../participant.ts';
import './live.css';
import type { ClientMessage, ServerMessage } from '../../protocol/messages.ts';
import { INK_COLORS, LIVE_LIMITS, type InkColor, type Point, type SlideKey } from '../../protocol/live.ts';
import type { RevealDeck } from '../deck-state.ts';
import { el } from '../dom.ts';
import { InkLayer } from './ink-layer.ts';
import { slideMedia } from './media.ts';

type Tool = 'none' | 'pen' | 'laser';
const PEN_WIDTH = 6;
const MEDIA_EVERY_MS = 250;
const COLOR_NAMES: Record<InkColor, string> = {
  '#ff3b30': 'red',
  '#ffcc00': 'yellow',
  '#34c759': 'green',
  '#0a84ff': 'blue',
  '#ffffff': 'white',
  '#111111': 'black',
};

export interface LiveConsoleOptions {
  deck: RevealDeck;
  send(message: ClientMessage): boolean;
}

/** Sends the newest pointer position at most once per interval; the last one always goes. */
class PointerSender {
  private latest: { slide: SlideKey; at: Point | null } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = -Infinity;
  private shownAt: Point | null = null;

  constructor(private readonly send: (message: ClientMessage) => boolean) {}

  move(slide: SlideKey, at: Point | null): void {
    if (at === null && this.shownAt === null && this.latest === null) return;
    this.latest = { slide, at };
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + LIVE_LIMITS.pointerIntervalMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    const latest = this.latest;
    this.latest = null;
    if (!latest) return;
    this.lastSent = performance.now();
    this.shownAt = latest.at;
    this.send({ type: 'pointer', slide: latest.slide, at: latest.at });
  }
}

/** One stroke being drawn: points gathered between two batches. */
interface Drawing {
  id: string;
  slide: SlideKey;
  color: InkColor;
  pending: number[];
  last: [number, number];
  timer: ReturnType<typeof setInterval>;
}

export function mountLiveConsole(options: LiveConsoleOptions): { element: HTMLElement; receive(message: ServerMessage): void } {
  const { deck, send } = options;
  const ink = new InkLayer(deck);
  const pointer = new PointerSender(send);
  let tool: Tool = 'none';
  let laserHeld = false;
  let color: InkColor = INK_COLORS[0];
  let drawing: Drawing | null = null;

  const laserBtn = el('button', { className: 'ld-btn', text: 'Laser', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Laser pointer (or hold L)' } });
  const penBtn = el('button', { className: 'ld-btn', text: 'Pen', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Draw on the slide' } });
  const swatches = INK_COLORS.map((c) => {
    const swatch = el('button', { className: 'ld-swatch', attrs: { type: 'button', 'aria-label': `Pen ${COLOR_NAMES[c]}`, 'aria-pressed': String(c === color), 'data-color': c } });
    swatch.style.background = c;
    swatch.addEventListener('click', () => {
      color = c;
      for (const s of swatches) s.setAttribute('aria-pressed', String(s === swatch));
      setTool('pen');
    });
    return swatch;
  });
  const clearBtn = el('button', { className: 'ld-btn', text: 'Clear', attrs: { type: 'button', title: 'Clear the drawing on this slide' } });
  const wallSelect = el('select', { attrs: { 'aria-label': 'Chat wall on the screen' } }, [
    el('option', { text: 'Chat wall: off', attrs: { value: 'off' } }),
    el('option', { text: 'Chat wall: this slide', attrs: { value: 'slide' } }),
    el('option', { text: 'Chat wall: whole talk', attrs: { value: 'talk' } }),
  ]);
  const element = el('div', { className: 'ld-live-tools', attrs: { role: 'toolbar', 'aria-label': 'Pointer, pen and chat wall' } }, [
    laserBtn,
    penBtn,
    ...swatches,
    clearBtn,
    wallSelect,
  ]);

  function setTool(next: Tool): void {
    tool = tool === next && next !== 'pen' ? 'none' : next;
    showTool();
  }
  function showTool(): void {
    const laser = tool === 'laser' || laserHeld;
    laserBtn.setAttribute('aria-pressed', String(laser));
    penBtn.setAttribute('aria-pressed', String(tool === 'pen' && !laser));
    document.body.classList.toggle('ld-live-laser', laser);
    document.body.classList.toggle('ld-live-pen', tool === 'pen' && !laser);
    if (!laser) {
      pointer.move(ink.shown(), null);
      ink.point(null);
    }
  }
  laserBtn.addEventListener('click', () => setTool('laser'));
  penBtn.addEventListener('click', () => setTool(tool === 'pen' ? 'none' : 'pen'));
  clearBtn.addEventListener('click', () => send({ type: 'ink_clear', slide: ink.shown() }));
  wallSelect.addEventListener('change', () => {
    const value = wallSelect.value;
    send({ type: 'wall', on: value !== 'off', slide: value === 'slide' ? ink.shown() : null });
  });

  /* ---------- laser ---------- */
  const laserOn = () => tool === 'laser' || laserHeld;
  const typing = (target: EventTarget | null) => {
    const t = target as HTMLElement | null;
    return Boolean(t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)));
  };
  document.addEventListener('keydown', (event) => {
    if (event.key.toLowerCase() !== 'l' || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    event.preventDefault();
    if (event.repeat || laserHeld) return;
    laserHeld = true;
    showTool();
  });
  document.addEventListener('keyup', (event) => {
    if (event.key.toLowerCase() !== 'l' || !laserHeld) return;
    laserHeld = false;
    showTool();
  });
  document.addEventListener('pointermove', (event) => {
    if (!laserOn()) return;
    // A touch laser points only while the finger is down; a mouse points while it moves.
    if (event.pointerType === 'touch' && event.buttons === 0) return;
    const at = ink.toSlide(event.clientX, event.clientY);
    ink.point(at);
    pointer.move(ink.shown(), at);
  });
  ink.element.addEventListener('pointerup', (event) => {
    if (laserOn() && event.pointerType === 'touch') {
      ink.point(null);
      pointer.move(ink.shown(), null);
    }
  });

  /* ---------- pen ---------- */
  function flushStroke(d: Drawing): void {
    while (d.pending.length >= 2) {
      const points = d.pending.splice(0, LIVE_LIMITS.batchPoints * 2);
      send({ type: 'stroke', stroke: d.id, slide: d.slide, color: d.color, width: PEN_WIDTH, points });
    }
  }
  ink.element.addEventListener('pointerdown', (event) => {
    if (tool !== 'pen' || laserOn() || event.button !== 0) return;
    const at = ink.toSlide(event.clientX, event.clientY);
    if (!at) return;
    event.preventDefault();
    ink.element.setPointerCapture(event.pointerId);
    const d: Drawing = {
      id: randomId(),
      slide: ink.shown(),
      color,
      pending: [at.x, at.y],
      last: [at.x, at.y],
      timer: setInterval(() => flushStroke(d), LIVE_LIMITS.strokeBatchMs),
    };
    drawing = d;
    ink.sketch(color, PEN_WIDTH, [at.x, at.y]);
  });
  ink.element.addEventListener('pointermove', (event) => {
    const d = drawing;
    if (!d) return;
    const at = ink.toSlide(event.clientX, event.clientY);
    if (!at || (at.x === d.last[0] && at.y === d.last[1])) return;
    ink.sketch(d.color, PEN_WIDTH, [...d.last, at.x, at.y]);
    d.pending.push(at.x, at.y);
    d.last = [at.x, at.y];
  });
  const endStroke = () => {
    const d = drawing;
    if (!d) return;
    drawing = null;
    clearInterval(d.timer);
    flushStroke(d);
  };
  ink.element.addEventListener('pointerup', endStroke);
  ink.element.addEventListener('pointercancel', endStroke);
  deck.on('slidechanged', endStroke);

  /* ---------- media ---------- */
  // Dragging a seek bar fires `seeked` many times a second; the server allows 5 media messages a
  // second, so the newest state leaves at most every MEDIA_EVERY_MS (the first one at once).
  let mediaTimer: ReturnType<typeof setTimeout> | null = null;
  let mediaWaiting: HTMLMediaElement | null = null;
  let mediaSentAt = -Infinity;
  /** The element's state read when it leaves, not when it fired: a playing one has moved on meanwhile. */
  const mediaMessage = (media: HTMLMediaElement): ClientMessage | null => {
    const section = media.closest('section');
    if (!section) return null;
    const { h, v } = deck.getIndices(section);
    const index = slideMedia(section).indexOf(media);
    const position = Number.isFinite(media.currentTime) ? Math.max(0, media.currentTime) : 0;
    if (index < 0 || index >= LIVE_LIMITS.slideMedia) return null;
    return { type: 'media', slide: { indexh: h, indexv: v ?? 0 }, index, playing: !media.paused, position };
  };
  const onMedia = (event: Event) => {
    if (!(event.target instanceof HTMLMediaElement)) return;
    mediaWaiting = event.target;
    if (mediaTimer) return;
    mediaTimer = setTimeout(() => {
      mediaTimer = null;
      const message = mediaWaiting ? mediaMessage(mediaWaiting) : null;
      mediaWaiting = null;
      if (!message) return;
      mediaSentAt = performance.now();
      send(message);
    }, Math.max(0, mediaSentAt + MEDIA_EVERY_MS - performance.now()));
  };
  const root = deck.getRevealElement();
  // Media events do not bubble: caught on the way down instead.
  for (const type of ['play', 'pause', 'seeked']) root?.addEventListener(type, onMedia, true);

  return {
    element,
    receive(message) {
      ink.receive(message);
      if (message.type === 'wall_state') wallSelect.value = message.on ? (message.slide ? 'slide' : 'talk') : 'off';
    },
  };
}
