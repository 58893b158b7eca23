/**
 * Where a client is in its talk's log: the highest seq it received and the epoch that seq counts
 * in. Both go back in every hello after the first, so the server (any node of a cluster) can
 * resume it with exactly the missed messages, or give a full welcome when the epoch differs.
 */
import type { HelloMessage, ServerMessage } from '../protocol/messages.ts';

export class ResumePoint {
  private seq: number | null = null;
  private epoch: string | undefined;

  /**
   * A welcome is a snapshot and resets both (seqs restart with a new server store or epoch);
   * after a `resumed`, the missed messages follow and raise the seq again.
   */
  track(message: ServerMessage): void {
    if (message.type === 'welcome') {
      this.seq = message.seq;
      this.epoch = message.epoch;
    } else if (message.type === 'resumed') {
      if (message.epoch !== undefined) this.epoch = message.epoch;
    } else if ('seq' in message && typeof message.seq === 'number') {
      this.seq = Math.max(this.seq ?? 0, message.seq);
    }
  }

  /** The hello to send: the page's own, plus lastSeq and epoch once there is something to resume. */
  hello(base: HelloMessage): HelloMessage {
    if (this.seq === null) return base;
    return { ...base, lastSeq: this.seq, ...(this.epoch === undefined ? {} : { epoch: this.epoch }) };
  }
}
