import type { StoredEvent } from '../store/types.ts';

/**
 * Which (participant, key) pairs a feature has already applied, and at which seq. Handlers ask
 * before rate limiting, so a resend after a lost ack is acknowledged again instead of refused.
 */
export class SeenKeys {
  private readonly seqs = new Map<string, number>();

  get(participant: string, key: string): number | undefined {
    return this.seqs.get(`${participant}\u0000${key}`);
  }

  /** Remembers the event's key, if it carries one. */
  note(event: StoredEvent): void {
    if (event.participant !== null && event.key !== null) this.seqs.set(`${event.participant}\u0000${event.key}`, event.seq);
  }
}
