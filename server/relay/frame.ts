import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Build-once WebSocket frames. `ws.send(string)` measures, copies and frames the string again
 * for every client; a broadcast to 10 000 phones needs that work once, and a direct reply
 * (a joiner's welcome and snapshots) is cheaper as one buffer than as ws's header and payload
 * pair. These are the few ws 8 internals the fast path reads (lib/sender.js,
 * lib/websocket.js); @types/ws does not declare them, so they are typed here, in one place,
 * and exercised by server/relay/room.test.ts.
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

/**
 * One complete, unmasked text frame (RFC 6455 section 5.2: FIN and opcode 1, then a 7-, 16- or
 * 64-bit length) with the UTF-8 payload, in a single allocation, so each socket gets one write.
 */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) {
    frame[1] = length;
  } else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(json, head, 'utf8');
  return frame;
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
