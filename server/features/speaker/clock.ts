import type { TimerAction } from '../../../protocol/speaker.ts';

/**
 * The talk timer, kept by the server from stored `timer` events. Times are the server's own
 * epoch milliseconds (the event's `at`), so a restart mid-talk keeps counting the time the
 * server was down: the talk went on meanwhile.
 */
export class TalkClock {
  private running = false;
  /** Server epoch ms when the current run started (meaningful while running). */
  private startedAt = 0;
  /** Milliseconds from earlier runs. */
  private banked = 0;

  apply(action: TimerAction, at: number): void {
    if (action === 'start' && !this.running) {
      this.running = true;
      this.startedAt = at;
    } else if (action === 'pause' && this.running) {
      this.banked = this.elapsed(at);
      this.running = false;
    } else if (action === 'reset') {
      this.running = false;
      this.banked = 0;
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  elapsed(now: number): number {
    return Math.max(0, this.banked + (this.running ? now - this.startedAt : 0));
  }
}
