import type { Link, LinkHandlers } from './link.ts';

/** A WebSocket as a Link; `socket` may be one already open (a background probe that worked). */
export class WebSocketLink implements Link {
  readonly kind = 'websocket';
  private done = false;

  constructor(
    private readonly ws: WebSocket,
    handlers: LinkHandlers,
  ) {
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') handlers.message(event.data);
    };
    ws.onclose = (event) => {
      if (this.done) return;
      this.done = true;
      handlers.close(event.code, event.reason);
    };
    if (ws.readyState === WebSocket.OPEN) queueMicrotask(() => handlers.open());
    else ws.onopen = () => handlers.open();
  }

  send(text: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  close(): void {
    this.done = true;
    this.ws.close();
  }
}
