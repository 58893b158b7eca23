/**
 * The pace signal: phones say "too fast" or "too slow" about the live slide; the console gets a
 * decaying gauge per slide. Ephemeral (never stored), staff only, coalesced, rate-limited.
 */
import type { Role } from '../../../protocol/messages.ts';
import type { PaceReportMessage } from '../../../protocol/polls.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { Coalescer } from '../coalesce.ts';
import { RateLimiter } from '../limiter.ts';
import { hostOf, isStaff, participantOf, type FeatureHandler } from '../peers.ts';
import { refuse } from '../reply.ts';
import { reportOf } from '../report/index.ts';
import { PaceGauge } from './gauge.ts';

export { PaceGauge, PACE_HALF_LIFE_MS, PACE_FORGET_MS } from './gauge.ts';

export const PACE_REPORT_INTERVAL_MS = 1000;
/** The gauge is for whoever runs the talk: the presenter and moderators (a moderator can tell the speaker). */
const STAFF_ROLES: readonly Role[] = ['presenter', 'moderator'];
/** While any signal is held, the console hears the decayed gauge this often even without news. */
export const PACE_TICK_MS = 5000;

class TalkPace {
  readonly gauge = new PaceGauge();
  readonly limiter = new RateLimiter(4, 0.5);
  readonly flusher: Coalescer;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly host: TalkHost) {
    this.flusher = new Coalescer(PACE_REPORT_INTERVAL_MS, () => this.send());
  }

  message(): PaceReportMessage {
    return { type: 'paceReport', ...this.gauge.report() };
  }

  private send(): void {
    const message = this.message();
    this.host.room.broadcast(message, STAFF_ROLES);
    if (this.gauge.size > 0 && !this.ticker) {
      this.ticker = setInterval(() => this.flusher.mark(), PACE_TICK_MS);
      this.ticker.unref();
    } else if (this.gauge.size === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}

const byHost = new WeakMap<TalkHost, TalkPace>();

function paceOf(host: TalkHost): TalkPace {
  let pace = byHost.get(host);
  if (!pace) {
    pace = new TalkPace(host);
    byHost.set(host, pace);
  }
  return pace;
}

/** For a joining presenter or moderator: the current gauge as JSON (it is not part of the stored snapshot). */
export function paceGreeting(host: TalkHost, peer: Peer): string[] {
  return isStaff(peer) ? [JSON.stringify(paceOf(host).message())] : [];
}

export const paceHandlers: { pace: FeatureHandler<'pace'> } = {
  pace(peer, msg, ctx) {
    const host = hostOf(peer, ctx);
    if (!host) return refuse(peer, 'not_joined', 'pace');
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'pace', 'The pace signal comes from the audience.');
    const pace = paceOf(host);
    if (!pace.limiter.take(participantOf(peer))) return refuse(peer, 'rate_limited', 'pace');
    const { indexh, indexv } = host.talk.deck;
    if (pace.gauge.signal(participantOf(peer), msg.signal, `${indexh}/${indexv}`)) pace.flusher.mark();
    reportOf(host).paceSignal(msg.signal);
  },
};
