/** Replies shared by the interaction handlers: errors that name the refused key, and acks. */
import { ERROR_CODES, type ErrorCode, type ErrorMessage } from '../../protocol/messages.ts';
import type { Peer } from '../room/peer.ts';
import { sendMessage } from '../room/room.ts';

export function refuse(peer: Peer, code: ErrorCode, ref: string, detail?: string, key?: string, retryAfterMs?: number): void {
  const message: ErrorMessage = { type: 'error', code, message: detail ? `${ERROR_CODES[code]} ${detail}` : ERROR_CODES[code], ref };
  if (key !== undefined) message.key = key;
  if (retryAfterMs !== undefined) message.retryAfterMs = retryAfterMs;
  sendMessage(peer, message);
}

/** Sent only once the event is durable: the client may then forget its copy. */
export function ack(peer: Peer, key: string, seq: number): void {
  sendMessage(peer, { type: 'ack', key, seq });
}
