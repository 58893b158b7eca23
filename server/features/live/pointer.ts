/**
 * The laser pointer: ephemeral (never stored, no seq), and coalesced so that however fast the
 * console sends, phones and the screen get at most one update per LIVE_LIMITS.pointerIntervalMs.
 * Only the newest position matters, so the ones in between are dropped, not queued.
 */
import { LIVE_LIMITS, type PointerShownMessage } from '../../../protocol/live.ts';
import type { Role } from '../../../protocol/messages.ts';
import type { TalkHost } from '../../relay/host.ts';
import { textFrame } from '../../relay/frame.ts';
import { Coalescer } from '../coalesce.ts';

const POINTER_ROLES: readonly Role[] = ['audience', 'screen'];

class PointerRelay {
  private latest: PointerShownMessage | null = null;
  private readonly flusher: Coalescer;

  constructor(host: TalkHost) {
    this.flusher = new Coalescer(LIVE_LIMITS.pointerIntervalMs, () => {
      const message = this.latest;
      this.latest = null;
      if (!message) return;
      // One frame for the whole room, in broadcast order, and not kept for resumes: a pointer
      // from a few seconds ago is worth nothing to a phone that comes back.
      const frame = textFrame(JSON.stringify(message));
      host.room.inOrder(() => host.room.writeToRoles(POINTER_ROLES, frame));
    });
  }

  move(message: PointerShownMessage): void {
    this.latest = message;
    this.flusher.mark();
  }
}

const relays = new WeakMap<TalkHost, PointerRelay>();

export function pointerOf(host: TalkHost): PointerRelay {
  let relay = relays.get(host);
  if (!relay) {
    relay = new PointerRelay(host);
    relays.set(host, relay);
  }
  return relay;
}
