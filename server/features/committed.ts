/** What a handler does when the log would not take its write. */
import { LogRefused, LogUnavailable } from '../talk/log.ts';
import type { Peer } from '../room/peer.ts';
import { ack, refuse } from './reply.ts';

/**
 * A rejected commit, answered with the write's key: `unavailable` (retryable: the outbox keeps
 * it and sends it again) or the refusal every node agreed on (the outbox drops it).
 */
export function commitFailed(peer: Peer, ref: string, key?: string): (err: unknown) => void {
  return (err) => {
    if (err instanceof LogRefused) return refuse(peer, err.code, ref, undefined, key);
    if (err instanceof LogUnavailable) return refuse(peer, 'unavailable', ref, `Try again in ${Math.ceil(err.retryAfterMs / 100) / 10} s.`, key, err.retryAfterMs);
    refuse(peer, 'internal', ref, undefined, key);
    process.emitWarning(`livedeck: a write failed: ${err instanceof Error ? err.message : String(err)}`);
  };
}

/** Commits and acknowledges: the ack leaves only once the event is applied on this node. */
export function ackWhenCommitted(peer: Peer, ref: string, key: string, committed: Promise<{ seq: number }>): void {
  committed.then(({ seq }) => ack(peer, key, seq), commitFailed(peer, ref, key));
}


/**
 * A write the log could not take is sent again by the phone's outbox, and a resend another node
 * had already stored is a duplicate: neither may count against the sender's rate limit twice, or
 * an outbox retrying through a Redis outage would be refused as a flood and drop the write.
 */
export function refundUnlessStored(committed: Promise<{ duplicate: boolean }>, giveBack: () => void): void {
  committed.then(
    ({ duplicate }) => {
      if (duplicate) giveBack();
    },
    giveBack,
  );
}
