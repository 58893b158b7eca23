import type { Talk } from './talk.ts';
import { fallbackAudience } from '../transport/count.ts';
import { ResumableRoom } from '../room/resumable-room.ts';
import { FeatureSet } from './features.ts';
import type { Feature } from './feature.ts';
import { LocalSignals } from './local-log.ts';
import type { Signals } from './log.ts';
import type { StoredEvent } from '../store/types.ts';

/** How often, at most, the presenter console hears about the audience count changing. */
export const PRESENCE_INTERVAL_MS = 500;

/** What a node adds to the audience count it sees itself (cluster mode: the other nodes' phones). */
export interface AudienceCount {
  audience(local: number): number;
  slow(local: number): number;
}

/**
 * A talk together with the people connected to it on this node and the features that run it.
 * Presence updates are coalesced: a join storm of thousands of phones produces a handful of
 * presence messages, not thousands.
 */
export class TalkHost {
  /** Remembers recent broadcasts so reconnecting clients get exactly what they missed. */
  readonly room: ResumableRoom;
  features = new FeatureSet([]);
  private presenceTimer: NodeJS.Timeout | null = null;
  /** Features' own timers to stop with the talk (a quiz question's countdown). */
  private readonly disposers: Array<() => void> = [];
  /** Callbacks waiting for the log to reach a seq (a phone back from a node further ahead). */
  private readonly waiting = new Set<{ seq: number; done: () => void }>();
  counts: AudienceCount | null = null;

  constructor(
    readonly talk: Talk,
    readonly signals: Signals = new LocalSignals(),
  ) {
    this.room = new ResumableRoom(talk.seq);
  }

  /**
   * Sets the feature list, replays the log through it, and goes live. `serve: false` only
   * replays (the report CLI reads a log without running the talk: no clocks start).
   */
  async run(features: readonly Feature[], options: { serve?: boolean } = {}): Promise<void> {
    this.features = new FeatureSet(features);
    await this.talk.log.start((event, live) => this.apply(event, live));
    this.room.history.restartAt(this.talk.seq);
    if (options.serve !== false) this.features.started();
  }

  private apply(event: StoredEvent, live: boolean): void {
    this.features.apply(event, live);
    if (this.waiting.size > 0) {
      for (const wait of this.waiting) {
        if (event.seq >= wait.seq) {
          this.waiting.delete(wait);
          wait.done();
        }
      }
    }
  }

  /** Resolves once this node has applied `seq`, or after `ms` (true if it got there). */
  reached(seq: number, ms: number): Promise<boolean> {
    if (this.talk.seq >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wait = {
        seq,
        done: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(wait);
        resolve(this.talk.seq >= seq);
      }, ms);
      this.waiting.add(wait);
    });
  }

  audience(): number {
    const local = this.room.count('audience');
    return this.counts ? this.counts.audience(local) : local;
  }

  schedulePresence(): void {
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      const audience = this.audience();
      const localSlow = fallbackAudience(this.room);
      this.room.broadcast({ type: 'presence', audience }, ['screen']);
      // How many phones are on a fallback transport is for the speaker, not the projector.
      this.room.broadcast({ type: 'presence', audience, slow: this.counts ? this.counts.slow(localSlow) : localSlow }, ['presenter']);
    }, PRESENCE_INTERVAL_MS);
    this.presenceTimer.unref();
  }

  onDispose(stop: () => void): void {
    this.disposers.push(stop);
  }

  dispose(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.features.stop();
    for (const stop of this.disposers.splice(0)) stop();
  }
}
