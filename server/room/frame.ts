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

export const headLength = (length: number): number => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

/** Writes a text frame's head (RFC 6455 section 5.2: FIN, opcode 1, length) at `at`; returns where the payload starts. */
export function putHead(buffer: Buffer, at: number, length: number): number {
  const head = headLength(length);
  buffer[at] = 0x81; // FIN, text
  if (head === 2) {
    buffer[at + 1] = length;
  } else if (head === 4) {
    buffer[at + 1] = 126;
    buffer.writeUInt16BE(length, at + 2);
  } else {
    buffer[at + 1] = 127;
    buffer.writeBigUInt64BE(BigInt(length), at + 2);
  }
  return at + head;
}

/** Writes one frame at `at`; returns where the next one starts. */
function putFrame(buffer: Buffer, at: number, json: string, length: number): number {
  const start = putHead(buffer, at, length);
  buffer.write(json, start, 'utf8');
  return start + length;
}

/**
 * One complete, unmasked text frame (FIN and opcode 1, then a 7-, 16- or 64-bit length) with
 * the UTF-8 payload, in a single allocation, so each socket gets one write.
 */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(headLength(length) + length);
  putFrame(frame, 0, json, length);
  return frame;
}

/** Several text frames back to back in one buffer: one write puts them all on the wire, in order. */
export function textFrames(jsons: readonly string[]): Buffer {
  const lengths = jsons.map((json) => Buffer.byteLength(json));
  const frames = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + headLength(length) + length, 0));
  let at = 0;
  for (let i = 0; i < jsons.length; i++) at = putFrame(frames, at, jsons[i]!, lengths[i]!);
  return frames;
}

/**
 * Where the owner of a socket (the Relay) asks to hear of a write that left more queued than
 * the socket's high-water mark (16 KiB). Only such a socket can be on its way to the slow
 * consumer limit, so the owner watches those instead of reading every socket's queue.
 */
export const kBacklog = Symbol('livedeck.backlog');
export type BacklogListener = (ws: WebSocket) => void;

/**
 * Writes prebuilt frames (one, or several from textFrames) straight to the socket when ws's
 * sender is idle, which is always the case without compression. If ws has sends queued (it
 * never does with perMessageDeflate off, but the check costs two field reads), each frame's
 * payload goes through ws.send instead, so order is kept. Returns false when the socket is
 * not open and nothing was written.
 */
export function writeFrame(ws: WebSocket, frames: Buffer): boolean {
  if (ws.readyState !== 1) return false;
  const { _sender: sender, _socket: socket } = ws as unknown as SocketInternals;
  if (!sender || !socket || !socket.writable) return false;
  if (sender._state !== 0 || sender._queue.length !== 0) {
    for (const payload of payloads(frames)) ws.send(payload, { binary: false });
    (ws as WebSocket & { [kBacklog]?: BacklogListener })[kBacklog]?.(ws);
    return true;
  }
  if (!socket.write(frames)) (ws as WebSocket & { [kBacklog]?: BacklogListener })[kBacklog]?.(ws);
  return true;
}

/** The payloads of unmasked frames laid back to back (as textFrame and textFrames write them). */
export function payloads(frames: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < frames.length; ) {
    const short = frames[at + 1]! & 0x7f;
    const head = short < 126 ? 2 : short === 126 ? 4 : 10;
    const length = short < 126 ? short : short === 126 ? frames.readUInt16BE(at + 2) : Number(frames.readBigUInt64BE(at + 2));
    out.push(frames.subarray(at + head, at + head + length));
    at += head + length;
  }
  return out;
}
