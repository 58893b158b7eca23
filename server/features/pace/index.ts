/**
 * The pace signal: phones say "too fast" or "too slow" about the live slide; the console gets a
 * decaying gauge per slide. Ephemeral (never stored), staff only, coalesced, rate-limited. A
 * signal reaches every node (in a cluster, over Redis), so each node's gauge hears the whole room.
 */
import type { Role } from '../../../protocol/messages.ts';
import type { PaceReportMessage, PaceSignal } from '../../../protocol/polls.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { Coalescer } from '../coalesce.ts';
import { RateLimiter } from '../limiter.ts';
import { isStaff, participantOf } from '../peers.ts';
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

  stop(): void {
    this.flusher.cancel();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
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

/** The signal channel pace signals travel on, from the node that took one to every node. */
export const PACE_CHANNEL = 'pace';

export interface PaceSignalData {
  participant: string;
  signal: PaceSignal;
  /** The slide the signal is about, as the taking node saw it ("h/v"). */
  slide: string;
}

const SIGNALS: readonly unknown[] = ['fast', 'slow', 'ok'] satisfies PaceSignal[];

/** A signal as it arrives (from another node in a cluster): anything malformed is dropped. */
export function parsePaceSignal(data: unknown): PaceSignalData | null {
  if (typeof data !== 'object' || data === null) return null;
  const { participant, signal, slide } = data as Record<string, unknown>;
  if (typeof participant !== 'string' || typeof slide !== 'string' || !SIGNALS.includes(signal)) return null;
  return { participant, signal: signal as PaceSignal, slide };
}

export function paceFeature(host: TalkHost): Feature {
  const pace = new TalkPace(host);

  host.signals.subscribe(PACE_CHANNEL, (data) => {
    const signal = parsePaceSignal(data);
    if (!signal) return;
    if (pace.gauge.signal(signal.participant, signal.signal, signal.slide)) pace.flusher.mark();
    reportOf(host).paceSignal(signal.signal);
  });

  const handler: Handler<'pace'> = (peer, msg) => {
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'pace', 'The pace signal comes from the audience.');
    const participant = participantOf(peer);
    // The sender's limit is kept where it is connected, before the signal goes to every node.
    if (!pace.limiter.take(participant)) return refuse(peer, 'rate_limited', 'pace');
    const { indexh, indexv } = host.talk.deck;
    const data: PaceSignalData = { participant, signal: msg.signal, slide: `${indexh}/${indexv}` };
    host.signals.publish(PACE_CHANNEL, data);
  };

  return {
    name: 'pace',
    handlers: { pace: handler },
    // For a joining presenter or moderator: the current gauge (it is not part of the stored snapshot).
    joined: (peer) => (isStaff(peer) ? [JSON.stringify(pace.message())] : []),
    stop: () => pace.stop(),
  };
}
