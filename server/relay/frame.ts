import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Build-once WebSocket frames for broadcasts. `ws.send(string)` measures, copies and frames the
 * string again for every client; a broadcast to 10 000 phones needs that work once. These are
 * the few ws 8 internals the fast path reads (lib/sender.js, lib/websocket.js); @types/ws does
 * not declare them, so they are typed here, in one place, and exercised by server/relay/room.test.ts.
 */
interface SenderInternals {
  /** 0 (DEFAULT) when idle; non-zero while deflating or reading a Blob, and then send() queues. */
  _state: number;
  /** Sends waiting for the state to return to DEFAULT; they must go out before anything new. */
  _queue: unknown[];
}

interface SocketInternals {
  _sender: SenderInternals | null;
  _socket: Duplex | null;
}

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}

interface SenderStatic {
  frame(data: Buffer, options: FrameOptions): Buffer[];
}

const require = createRequire(import.meta.url);
const { Sender } = require('ws') as { Sender: SenderStatic };

const TEXT: FrameOptions = { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true };

/** One complete, unmasked text frame (header and payload in one buffer, so each socket gets one write). */
export function textFrame(json: string): Buffer {
  const parts = Sender.frame(Buffer.from(json), TEXT);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Writes a prebuilt frame straight to the socket when ws's sender is idle, which is always the
 * case without compression. If ws has sends queued (it never does with perMessageDeflate off,
 * but the check costs two field reads), the message goes through ws.send so order is kept.
 * Returns false when the socket is not open and nothing was written.
 */
export function writeFrame(ws: WebSocket, frame: Buffer, json: string): boolean {
  if (ws.readyState !== 1) return false;
  const { _sender: sender, _socket: socket } = ws as unknown as SocketInternals;
  if (!sender || !socket || !socket.writable) return false;
  if (sender._state !== 0 || sender._queue.length !== 0) {
    ws.send(json);
    return true;
  }
  socket.write(frame);
  return true;
}
