import type { Room } from '../room/room.ts';
import { SessionSocket } from './session-socket.ts';

/**
 * Audience connections on a fallback transport, for the presenter's "· 3 slow-mode". Counted
 * when presence is sent (at most twice a second), so joins and messages do no work for it.
 */
export function fallbackAudience(room: Room): number {
  let slow = 0;
  for (const peer of room.membersOf('audience')) if (peer.ws instanceof SessionSocket) slow++;
  return slow;
}
