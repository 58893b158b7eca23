import type { Talk } from '../talk/talk.ts';
import { fallbackAudience } from '../transport/count.ts';
import { ResumableRoom } from './resumable-room.ts';

/** How often, at most, the presenter console hears about the audience count changing. */
export const PRESENCE_INTERVAL_MS = 500;

/**
 * A talk together with the people connected to it. Presence updates are coalesced: a join
 * storm of thousands of phones produces a handful of presence messages, not thousands.
 */
export class TalkHost {
  /** Remembers recent broadcasts so reconnecting clients get exactly what they missed. */
  readonly room: ResumableRoom;
  private presenceTimer: NodeJS.Timeout | null = null;
  /** Features' own timers to stop with the talk (a quiz question's countdown). */
  private readonly disposers: Array<() => void> = [];

  constructor(readonly talk: Talk) {
    this.room = new ResumableRoom(talk.seq);
  }

  schedulePresence(): void {
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      const audience = this.room.count('audience');
      this.room.broadcast({ type: 'presence', audience }, ['screen']);
      // How many phones are on a fallback transport is for the speaker, not the projector.
      this.room.broadcast({ type: 'presence', audience, slow: fallbackAudience(this.room) }, ['presenter']);
    }, PRESENCE_INTERVAL_MS);
    this.presenceTimer.unref();
  }

  onDispose(stop: () => void): void {
    this.disposers.push(stop);
  }

  dispose(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    for (const stop of this.disposers.splice(0)) stop();
  }
}
