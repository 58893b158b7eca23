import { PROTOCOL_VERSION, type ResumedMessage, type Role, type ServerMessage } from '../../protocol/messages.ts';
import type { Fanout } from './fanout.ts';
import type { Peer } from './peer.ts';
import { ResumeBuffer, type ResumeOptions } from './resume.ts';
import { Room, type RoomOptions } from './room.ts';

/** A Room that also remembers what it broadcast, so reconnecting clients can resume. */
export class ResumableRoom extends Room implements Fanout {
  readonly history: ResumeBuffer;

  constructor(startSeq: number, options: ResumeOptions = {}, roomOptions: RoomOptions = {}) {
    super(roomOptions);
    this.history = new ResumeBuffer(startSeq, options);
  }

  override broadcast(message: ServerMessage, roles?: readonly Role[]): void {
    this.history.record(message, roles ?? null);
    super.broadcast(message, roles);
  }
}

/**
 * What a reconnecting hello is answered with, as JSON: `resumed` and exactly the messages this
 * role missed, if the room's history still covers the gap. null otherwise (the caller then
 * sends a full welcome). Never a silent gap.
 */
export function resumeReply(peer: Peer, room: Room, role: Role, lastSeq: number | undefined, currentSeq: number, audience: number, epoch: string): string[] | null {
  if (lastSeq === undefined || !(room instanceof ResumableRoom)) return null;
  const missed = room.history.missedSince(lastSeq, role, currentSeq);
  if (missed === null) return null;
  const resumed: ResumedMessage = { type: 'resumed', v: PROTOCOL_VERSION, seq: lastSeq, epoch, role, connection: peer.id, audience };
  return [JSON.stringify(resumed), ...missed];
}
