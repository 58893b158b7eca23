import { connect, type Socket } from 'node:net';
import { checkServerFrame } from './contract-check.ts';

/**
 * A WebSocket client written by hand on a TCP socket, for what a well-behaved library will not
 * send: unfinished fragments, unmasked frames, invalid UTF-8, a frame that lies about its size.
 */

/** One client frame (masked unless `masked` is false). Opcodes: 0 continuation, 1 text, 2 binary, 8 close, 9 ping. */
export function clientFrame(opcode: number, payload: Buffer | string, options: { fin?: boolean; masked?: boolean } = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const fin = options.fin ?? true;
  const masked = options.masked ?? true;
  const length = data.length;
  const header =
    length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | length])
      : length < 65536
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | 126, length >> 8, length & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = (fin ? 0x80 : 0) | opcode;
            h[1] = (masked ? 0x80 : 0) | 127;
            h.writeBigUInt64BE(BigInt(length), 2);
            return h;
          })();
  if (!masked) return Buffer.concat([header, data]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  return Buffer.concat([header, mask, Buffer.from(data.map((b, i) => b ^ mask[i % 4]!))]);
}

/** A frame the server sent, as read back from the byte stream. */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** Splits server (unmasked) frames off the front of `buffer`; returns them and the unparsed rest. */
export function readFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const opcode = buffer[at]! & 0x0f;
    let length = buffer[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (buffer.length < start + length) break;
    frames.push({ opcode, payload: buffer.subarray(start, start + length) });
    at = start + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** A raw socket past the WebSocket handshake; `frames` collects what the server sends, `closed` resolves on TCP close. */
export interface RawWebSocket {
  socket: Socket;
  frames: ServerFrame[];
  closed: Promise<void>;
  /** The code of the server's close frame, once one has come; null before, or when the socket ended without one. */
  closeCode(): number | null;
}

/** Opens a TCP connection to /ws and completes the upgrade by hand. */
export async function openRawWebSocket(port: number, host = `127.0.0.1:${port}`): Promise<RawWebSocket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const frames: ServerFrame[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      let pending = Buffer.from(head.slice(end + 4), 'latin1');
      const take = (more: Buffer) => {
        const parsed = readFrames(Buffer.concat([pending, more]));
        // Text frames are held to the published contract, as every test client's are.
        for (const frame of parsed.frames) if (frame.opcode === 1) checkServerFrame(frame.payload.toString('utf8'), 'a raw WebSocket');
        frames.push(...parsed.frames);
        pending = Buffer.from(parsed.rest);
      };
      take(Buffer.alloc(0));
      socket.on('data', take);
      resolve();
    };
    socket.on('data', onData);
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  const closeCode = () => {
    const close = frames.find((f) => f.opcode === 8);
    return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
  };
  return { socket, frames, closed, closeCode };
}
