/**
 * Follows the presenter's media: the `index`-th <video>/<audio> of a slide plays, pauses and
 * seeks as the console's did, at the position the server's clock says it has reached by now.
 * Only media on the slide this page shows plays (a phone browsing elsewhere stays quiet).
 */
import type { MediaState } from '../../protocol/live.ts';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { RevealDeck } from '../deck-state.ts';
import type { ServerClock } from './clock.ts';

/** Closer than this (seconds) counts as in step: seeking for less stutters more than it helps. */
const TOLERANCE_S = 0.3;

export interface MediaFollowerOptions {
  deck: RevealDeck;
  clock: ServerClock;
  /** Phones start muted (browsers allow muted autoplay; a room of phones blaring is no help). */
  startMuted: boolean;
  /** Called whenever the followed element changes state: the page may offer "tap for sound". */
  onChange?(media: HTMLMediaElement | null, blocked: boolean): void;
}

/** The media elements of one slide in document order (a stack's own sections excluded). */
export function slideMedia(slide: Element): HTMLMediaElement[] {
  return [...slide.querySelectorAll<HTMLMediaElement>('video, audio')].filter((m) => m.closest('section') === slide);
}

export class MediaFollower {
  private state: MediaState | null = null;
  private muted: boolean;
  private blocked = false;

  constructor(private readonly options: MediaFollowerOptions) {
    this.muted = options.startMuted;
    options.deck.on('slidechanged', () => this.apply());
  }

  receive(message: ServerMessage): void {
    if (message.type === 'pong') this.options.clock.pong(message.t, message.server);
    if (message.type !== 'media_state') return;
    this.options.clock.hint(message.now);
    this.state = message.media;
    this.apply();
  }

  /** The person asked for sound (a tap counts as the gesture browsers want before audible play). */
  unmute(): void {
    this.muted = false;
    this.apply();
  }

  private element(): HTMLMediaElement | null {
    const state = this.state;
    if (!state) return null;
    const slide = this.options.deck.getSlide(state.slide.indexh, state.slide.indexv);
    return slide ? (slideMedia(slide)[state.index] ?? null) : null;
  }

  apply(): void {
    const media = this.element();
    const state = this.state;
    if (!media || !state) return this.options.onChange?.(null, false);
    const onShown = this.options.deck.getCurrentSlide() === media.closest('section');
    media.muted = this.muted;
    const target = state.position + (state.playing ? Math.max(0, this.options.clock.now() - state.at) / 1000 : 0);
    const end = Number.isFinite(media.duration) ? media.duration : Infinity;
    const position = Math.min(target, end);
    if (Math.abs(media.currentTime - position) > TOLERANCE_S) media.currentTime = position;
    if (state.playing && onShown && position < end) {
      if (media.paused) {
        media.play().then(
          () => this.changed(media, false),
          // Autoplay refused (sound without a tap): say so, so the page can offer the tap.
          (err: unknown) => {
            console.warn(`livedeck: media did not start: ${err instanceof Error ? err.message : String(err)}`);
            this.changed(media, true);
          },
        );
        return;
      }
    } else if (!media.paused) media.pause();
    this.changed(media, false);
  }

  private changed(media: HTMLMediaElement, blocked: boolean): void {
    this.blocked = blocked;
    this.options.onChange?.(media, this.blocked);
  }
}
