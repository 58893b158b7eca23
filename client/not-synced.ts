/**
 * The console's "not synced" state (cluster mode): while the server answers its moves or writes
 * with `unavailable` (it cannot store now), the speaker is told so where they look, the newest
 * position is sent again when the retry is due, and the warning goes once the server holds the
 * console's position again. Phones are never told: they only follow what was stored.
 */
import type { DeckState, ErrorMessage, GotoMessage, ServerMessage } from '../protocol/messages.ts';
import { backoffDelay } from './backoff.ts';
import { sameState } from './deck-state.ts';
import { UNAVAILABLE_BACKOFF, type OutboxTimers } from './outbox.ts';

export const NOT_SYNCED_TEXT = 'Not synced: the server cannot store changes right now. Your position will be sent when it can.';

export interface NotSyncedOptions {
  /** Shows the warning's text, or hides it (null). */
  show(text: string | null): void;
  /** Where the console is now: what a retry sends. */
  position(): DeckState;
  /** Sends on the current link; false when it is down (the page resends on its welcome). */
  send(message: GotoMessage): boolean;
  timers?: OutboxTimers;
  random?: () => number;
}

const realTimers: OutboxTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class NotSynced {
  private refused = false;
  /** Writes other than moves that were not stored: they are not resent, so the speaker is told. */
  private readonly lost = new Set<string>();
  private attempt = 0;
  private timer: unknown;
  private connection = '';
  private readonly timers: OutboxTimers;

  constructor(private readonly options: NotSyncedOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /** True while the server has not stored where the console is: a welcome must not move it back. */
  pending(): boolean {
    return this.refused;
  }

  receive(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.connection = message.connection;
        this.held(message.deck);
        break;
      case 'resumed':
        this.connection = message.connection;
        break;
      case 'deck':
        // Another presenter's move (a phone remote) was stored: the console follows it, so it is in step.
        if (message.origin !== this.connection) this.clear();
        else this.held(message.state);
        break;
      case 'error':
        if (message.code === 'unavailable') this.unavailable(message);
        break;
      default:
        break;
    }
  }

  private unavailable(error: Pick<ErrorMessage, 'ref' | 'retryAfterMs'>): void {
    this.refused = true;
    if (error.ref !== undefined && error.ref !== 'goto') this.lost.add(error.ref);
    this.render();
    if (this.timer !== undefined) return;
    const random = this.options.random ?? Math.random;
    const delay = error.retryAfterMs !== undefined ? Math.round(error.retryAfterMs * (1 + random() / 2)) : backoffDelay(this.attempt, UNAVAILABLE_BACKOFF, random);
    this.attempt++;
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      // The newest position, not the refused one: the speaker may have moved on meanwhile.
      if (this.refused) this.options.send({ type: 'goto', state: this.options.position() });
    }, delay);
  }

  /** The server stored this position: in step if it is where the console is. */
  private held(state: DeckState): void {
    if (this.refused && sameState(state, this.options.position())) this.clear();
  }

  private clear(): void {
    if (!this.refused) return;
    this.refused = false;
    this.lost.clear();
    this.attempt = 0;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.render();
  }

  private render(): void {
    if (!this.refused) return this.options.show(null);
    const lost = [...this.lost];
    this.options.show(lost.length === 0 ? NOT_SYNCED_TEXT : `${NOT_SYNCED_TEXT} Not saved (do it again once this is gone): ${lost.join(', ')}.`);
  }
}
