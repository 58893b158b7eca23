/**
 * What cluster mode (several relay nodes on one Redis, issue 11) adds to the wire: the talk's
 * epoch on hello, welcome and resumed (messages.ts), a retryable `unavailable` error, and two
 * close codes that send a client to another node. docs/protocol.md, "Cluster mode".
 */

export const CLUSTER_ERROR_CODES = {
  unavailable: 'The talk cannot store changes right now; it will be sent again.',
} as const;

/**
 * An epoch names one lineage of a talk's seqs: seqs compare only within one epoch. A client
 * whose epoch differs from the server's gets a full welcome, never a partial replay.
 */
export const EPOCH_MAX_LENGTH = 64;

/** Bounds of `retryAfterMs` on an `unavailable` error. */
export const RETRY_AFTER_MAX_MS = 60_000;

/** Close codes of a node that sends its clients elsewhere (RFC 6455 registry). */
export const CLUSTER_CLOSE_CODES = {
  /** This node is going away (shutdown, restart): reconnect now, through the balancer to another node. */
  serviceRestart: 1012,
  /** This node cannot serve now (it lost Redis, or lags): reconnect later, backing off. */
  tryAgainLater: 1013,
} as const;
