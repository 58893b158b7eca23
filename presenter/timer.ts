/**
 * The talk timer as a console or a remote shows it. The server holds it (timerState messages):
 * between two messages a running timer counts on from the local moment the last one arrived, so
 * the console and a phone agree without agreeing on the time of day.
 */
import type { TimerStateMessage } from '../protocol/speaker.ts';

export class ServerTimer {
  private running = false;
  private elapsedAtReceipt = 0;
  private receivedAt = 0;
  /** Planned talk length in seconds, null when the deck has none. */
  duration: number | null = null;
  /** False until the server has said where the timer stands. */
  known = false;

  receive(message: TimerStateMessage, now: number): void {
    this.running = message.running;
    this.elapsedAtReceipt = message.elapsed;
    this.receivedAt = now;
    this.duration = message.duration;
    this.known = true;
  }

  get isRunning(): boolean {
    return this.running;
  }

  elapsed(now: number): number {
    return this.elapsedAtReceipt + (this.running ? Math.max(0, now - this.receivedAt) : 0);
  }
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
