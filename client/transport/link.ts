/** How a page is connected: a WebSocket, or one of the fallbacks (docs/protocol.md, "Fallback transports"). */
export type TransportKind = 'websocket' | 'sse' | 'poll';

/** What a link tells its owner. `close` comes once, and never after the owner called `close()`. */
export interface LinkHandlers {
  /** Messages may be sent from now on. */
  open(): void;
  /** One server message, as JSON text. */
  message(text: string): void;
  /** The link is gone; `code` as a WebSocket close code (1006 when it just broke). */
  close(code: number, reason: string): void;
}

/** One attempt at a connection over one transport. */
export interface Link {
  readonly kind: TransportKind;
  /** Sends one message (JSON text) in order; false when the link cannot take it now. */
  send(text: string): boolean;
  close(): void;
}
