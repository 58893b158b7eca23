import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HostAllowList } from './hosts.ts';

/** Why a request or upgrade is turned away before any route or WebSocket code sees it. */
export interface Refusal {
  status: 421 | 431;
  reason: 'Misdirected Request' | 'Request Header Fields Too Large';
  /** A sentence for whoever is looking (never echoes what the client sent). */
  message: string;
}

export interface RequestGateOptions {
  hosts: HostAllowList;
  /** Header lines allowed in one request head. */
  maxHeaderLines: number;
  /** Bytes allowed in an upgrade's head as it came over the wire, whitespace included. */
  maxHeadBytes: number;
}

const UNKNOWN_HOST: Refusal = {
  status: 421,
  reason: 'Misdirected Request',
  message: 'This livedeck server does not answer to that host name. Open the address it printed, or start it with --public-url.',
};
const TOO_MANY_LINES: Refusal = { status: 431, reason: 'Request Header Fields Too Large', message: 'Too many header lines.' };
const HEAD_TOO_BIG: Refusal = { status: 431, reason: 'Request Header Fields Too Large', message: 'The request head is too large.' };

/**
 * Checks every request head before the app or the relay: the Host must be one of ours (DNS
 * rebinding), and the head must be small. Node does neither by itself: `maxHeadersCount` drops
 * header lines past the count instead of refusing the request, and `maxHeaderSize` does not
 * count the whitespace around header values, which its parser skips, so 32 000 spaces in
 * Sec-WebSocket-Protocol pass it and only ws then refuses the empty value (with 400).
 */
export class RequestGate {
  /** Bytes a keep-alive socket had read when its latest request began: an upgrade's own head is what came after. */
  private readonly readBefore = new WeakMap<Socket, number>();

  constructor(private readonly options: RequestGateOptions) {}

  /** For an HTTP request (not an upgrade). */
  request(req: IncomingMessage): Refusal | null {
    this.readBefore.set(req.socket, req.socket.bytesRead);
    return this.common(req);
  }

  /** For an upgrade; `head` is what the client sent after the request head. */
  upgrade(req: IncomingMessage, head: Buffer): Refusal | null {
    const refused = this.common(req);
    if (refused) return refused;
    const headBytes = req.socket.bytesRead - head.length - (this.readBefore.get(req.socket) ?? 0);
    return headBytes > this.options.maxHeadBytes ? HEAD_TOO_BIG : null;
  }

  private common(req: IncomingMessage): Refusal | null {
    // rawHeaders holds name and value in turn. The server keeps one line more than allowed
    // (maxHeadersCount = maxHeaderLines + 1), so more than allowed is seen, never all of them.
    if (req.rawHeaders.length / 2 > this.options.maxHeaderLines) return TOO_MANY_LINES;
    if (!this.options.hosts.allows(req.headers.host)) return UNKNOWN_HOST;
    return null;
  }
}

/** Answers a refused HTTP request; the connection is closed after it. */
export function writeRefusal(res: ServerResponse, refusal: Refusal): void {
  res.writeHead(refusal.status, refusal.reason, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(`${refusal.message}\n`);
}

/** The same answer on a raw socket, for an upgrade. */
export function refusalResponse(refusal: Refusal): string {
  const body = `${refusal.message}\n`;
  return (
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}
