/**
 * The laser pointer: ephemeral (never stored, no seq), and coalesced so that however fast the
 * console sends, nobody gets more than one update per LIVE_LIMITS.pointerIntervalMs. Only the
 * newest position matters, so the ones in between are dropped, not queued.
 *
 * The screen gets every one of those (one or two sockets). Phones get them as often as half
 * a core allows: at 10 000 phones one fan-out is ~100 ms of writes, and 20 of them a
 * second would take two cores and make slide changes wait behind a red dot. So the phones'
 * interval is at least twice the last phones' fan-out (docs/performance.md has figures).
 */
import { LIVE_LIMITS, type PointerShownMessage } from '../../../protocol/live.ts';
import type { Role } from '../../../protocol/messages.ts';
import type { TalkHost } from '../../talk/host.ts';
import { textFrame } from '../../room/frame.ts';
import { Coalescer } from '../coalesce.ts';

/** Share of one core the phones' pointer fan-out may take. */
const AUDIENCE_POINTER_SHARE = 0.5;
const SCREEN: readonly Role[] = ['screen'];
const AUDIENCE: readonly Role[] = ['audience'];

class PointerRelay {
  private latestForScreen: PointerShownMessage | null = null;
  private latestForAudience: PointerShownMessage | null = null;
  private lastAudienceFanoutMs = 0;
  private readonly screen: Coalescer;
  private readonly audience: Coalescer;

  constructor(private readonly host: TalkHost) {
    this.screen = new Coalescer(LIVE_LIMITS.pointerIntervalMs, () => {
      const message = this.latestForScreen;
      this.latestForScreen = null;
      if (message) this.write(SCREEN, message);
    });
    this.audience = new Coalescer(
      () => Math.max(LIVE_LIMITS.pointerIntervalMs, this.lastAudienceFanoutMs / AUDIENCE_POINTER_SHARE),
      () => {
        const message = this.latestForAudience;
        this.latestForAudience = null;
        if (!message) return;
        // CPU time, not wall time: on a busy machine a preempted fan-out would look long and
        // slow the pointer for nothing.
        const started = process.cpuUsage();
        this.write(AUDIENCE, message);
        const used = process.cpuUsage(started);
        this.lastAudienceFanoutMs = (used.user + used.system) / 1000;
      },
    );
  }

  move(message: PointerShownMessage): void {
    this.latestForScreen = message;
    this.latestForAudience = message;
    this.screen.mark();
    this.audience.mark();
  }

  /** One frame for all, in broadcast order, not kept for resumes: an old pointer is worth nothing to a phone that comes back. */
  private write(roles: readonly Role[], message: PointerShownMessage): void {
    const frame = textFrame(JSON.stringify(message));
    this.host.room.inOrder(() => this.host.room.writeToRoles(roles, frame));
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
