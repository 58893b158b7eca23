/**
 * Emoji reactions: ephemeral (never stored), counted per window on the server and sent to the
 * screen and the console at most four times a second, each sender rate-limited. A reaction
 * reaches every node as a signal (in a cluster, over Redis): each node counts all it hears, so
 * its screens and consoles see the whole room and its totals match the other nodes'.
 */
import type { Role } from '../../../protocol/messages.ts';
import { REACTIONS, type Reaction, type ReactionsMessage } from '../../../protocol/polls.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import { Coalescer } from '../coalesce.ts';
import { RateLimiter } from '../limiter.ts';
import { isStaff, participantOf } from '../peers.ts';
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

/** The signal channel reactions travel on, from the node that took one to every node. */
export const REACTION_CHANNEL = 'reaction';

export interface ReactionSignal {
  reaction: Reaction;
}

/** A signal as it arrives (from another node in a cluster): only a known reaction counts. */
export function parseReactionSignal(data: unknown): ReactionSignal | null {
  if (typeof data !== 'object' || data === null) return null;
  const reaction = (data as { reaction?: unknown }).reaction;
  return (REACTIONS as readonly unknown[]).includes(reaction) ? { reaction: reaction as Reaction } : null;
}

export function reactionsFeature(host: TalkHost): Feature {
  const window = new ReactionWindow();
  /** Since this node started: a reloaded console gets these in its welcome, so its totals do not restart at zero. */
  const totals: Partial<Record<Reaction, number>> = {};
  const limiter = new RateLimiter(REACTION_BURST, REACTION_RATE);
  const flusher = new Coalescer(REACTIONS_INTERVAL_MS, () => {
    const message: ReactionsMessage = { type: 'reactions', counts: window.take() };
    host.room.broadcast(message, REACTION_ROLES);
  });

  host.signals.subscribe(REACTION_CHANNEL, (data) => {
    const signal = parseReactionSignal(data);
    if (!signal) return;
    window.add(signal.reaction);
    reportOf(host).reaction(signal.reaction);
    totals[signal.reaction] = (totals[signal.reaction] ?? 0) + 1;
    flusher.mark();
  });

  const react: Handler<'react'> = (peer, msg) => {
    if (peer.role !== 'audience') return refuse(peer, 'forbidden', 'react', 'Reactions come from the audience.');
    // The sender's limit is kept where it is connected, before the reaction goes to every node.
    if (!limiter.take(participantOf(peer))) return refuse(peer, 'rate_limited', 'react');
    const signal: ReactionSignal = { reaction: msg.reaction };
    host.signals.publish(REACTION_CHANNEL, signal);
  };

  return {
    name: 'reactions',
    handlers: { react },
    welcome(peer, welcome) {
      if (isStaff(peer)) welcome.reactions = { ...totals };
    },
    stop: () => flusher.cancel(),
  };
}
