/**
 * Emoji reactions: ephemeral (never stored), counted per window on the server and sent to the
 * screen and the console at most four times a second, each sender rate-limited.
 */
import type { Role } from '../../../protocol/messages.ts';
import type { Reaction, ReactionsMessage } from '../../../protocol/polls.ts';
import type { TalkHost } from '../../talk/host.ts';
import { Coalescer } from '../coalesce.ts';
import { RateLimiter } from '../limiter.ts';
import { hostOf, participantOf, type FeatureHandler } from '../peers.ts';
import { refuse } from '../reply.ts';
import { reportOf } from '../report/index.ts';

export const REACTIONS_INTERVAL_MS = 250;
/** The projector floats them; staff (presenter and moderators) see how the room feels. */
const REACTION_ROLES: readonly Role[] = ['screen', 'presenter', 'moderator'];
/** Per participant: a burst of 6, then 3 a second. Enough for enthusiasm, not for a flood. */
export const REACTION_BURST = 6;
export const REACTION_RATE = 3;

/** Counts reactions between flushes. */
export class ReactionWindow {
  private counts: Partial<Record<Reaction, number>> = {};

  add(reaction: Reaction): void {
    this.counts[reaction] = (this.counts[reaction] ?? 0) + 1;
  }

  /** The counts so far, and a fresh window. */
  take(): Partial<Record<Reaction, number>> {
    const counts = this.counts;
    this.counts = {};
    return counts;
  }
}

class TalkReactions {
  readonly window = new ReactionWindow();
  /** Since the server started: a reloaded console gets these in its welcome, so its totals do not restart at zero. */
  readonly totals: Partial<Record<Reaction, number>> = {};
  readonly limiter = new RateLimiter(REACTION_BURST, REACTION_RATE);
  readonly flusher: Coalescer;

  constructor(host: TalkHost) {
    this.flusher = new Coalescer(REACTIONS_INTERVAL_MS, () => {
      const message: ReactionsMessage = { type: 'reactions', counts: this.window.take() };
      host.room.broadcast(message, REACTION_ROLES);
    });
  }
}

const byHost = new WeakMap<TalkHost, TalkReactions>();

/** Every reaction so far (since this server started), for a staff welcome. */
export function reactionTotals(host: TalkHost): Partial<Record<Reaction, number>> {
  return { ...byHost.get(host)?.totals };
}

export const reactionHandlers: { react: FeatureHandler<'react'> } = {
  react(peer, msg, ctx) {
    const host = hostOf(peer, ctx);
    if (!host) return refuse(peer, 'not_joined', 'react');
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'react', 'Reactions come from the audience.');
    let talk = byHost.get(host);
    if (!talk) {
      talk = new TalkReactions(host);
      byHost.set(host, talk);
    }
    if (!talk.limiter.take(participantOf(peer))) return refuse(peer, 'rate_limited', 'react');
    talk.window.add(msg.reaction);
    reportOf(host).reaction(msg.reaction);
    talk.totals[msg.reaction] = (talk.totals[msg.reaction] ?? 0) + 1;
    talk.flusher.mark();
  },
};
