/**
 * Fallback transports (docs/protocol.md, "Fallback transports"): when a WebSocket cannot be
 * opened or never says welcome, the same JSON messages travel as Server-Sent Events (server to
 * client) or long-polls, and HTTP POSTs (client to server). These are the endpoints, limits and
 * the few envelope shapes that exist only on these transports.
 */

/** Every fallback endpoint lives under this prefix. */
export const FALLBACK_PREFIX = '/ld';

export const FALLBACK_PATHS = {
  /** POST: opens a session; answers SessionOpened. */
  session: `${FALLBACK_PREFIX}/session`,
  /** GET ?session=ID: a text/event-stream that stays open. */
  events: `${FALLBACK_PREFIX}/events`,
  /** GET ?session=ID&after=N: the same events, answered when there are some (or after POLL_WAIT_MS). */
  poll: `${FALLBACK_PREFIX}/poll`,
  /** POST ?session=ID: one or more client messages, one JSON object per line. */
  send: `${FALLBACK_PREFIX}/send`,
  /** POST ?session=ID: ends the session (the client leaves or moves back to a WebSocket). */
  close: `${FALLBACK_PREFIX}/close`,
} as const;

export const FALLBACK_LIMITS = {
  /** A POST body, all lines together: the WebSocket frame limit (MAX_FRAME_BYTES). */
  maxBodyBytes: 16 * 1024,
  /** Messages per POST: each counts as one frame against the rate limits. */
  maxMessagesPerPost: 32,
  /** A long-poll with nothing to say is answered empty after this long. */
  pollWaitMs: 20_000,
  /** Events a session keeps (at least; up to a quarter more) after writing them to an event stream, for Last-Event-ID. */
  retainEvents: 256,
  /** ...and at most this many bytes of them. */
  retainBytes: 256 * 1024,
  /**
   * Sessions one process holds at once. A WebSocket costs its client a TCP connection, so the
   * process's file descriptor limit bounds them; a session costs only a POST, so it has its own
   * bound (a silent one is reaped within 38 s, like a dead socket).
   */
  maxSessions: 20_000,
  /** A closed session keeps its last events (the close among them) this long for a late poll. */
  closedLingerMs: 30_000,
} as const;

/** The answer to POST /ld/session. */
export interface SessionOpened {
  /** `<node>.<random>`: the part before the dot names the server process that holds the session. */
  session: string;
  pollWaitMs: number;
  maxBodyBytes: number;
}

/** The last event of a session (`event: close`): the WebSocket close code and reason it stands for. */
export interface SessionClosed {
  code: number;
  reason: string;
}

/** What an HTTP error on a fallback endpoint carries as its JSON body. */
export interface TransportErrorBody {
  error: TransportErrorCode;
  message: string;
}

export const TRANSPORT_ERROR_CODES = {
  unknown_session: 'No session has that id on this server: open a new session and send hello again (with lastSeq).',
  events_gone: 'The events after that Last-Event-ID are no longer kept: open a new session and send hello with lastSeq.',
  too_large: 'The request body is larger than the server accepts (16 KiB).',
  too_many_messages: 'Too many messages in one request.',
  forbidden_origin: 'This page may not open a livedeck session (Origin not allowed).',
  too_many_connections: 'Too many connections from this address, or too many sessions on this server.',
  not_found: 'No such fallback endpoint or method.',
} as const;

export type TransportErrorCode = keyof typeof TRANSPORT_ERROR_CODES;
