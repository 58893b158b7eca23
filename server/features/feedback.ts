/**
 * Audience interaction, part B: polls, reactions and the pace signal. The relay's handler table
 * spreads `audienceHandlers`; the hello handler adds `welcomePollsJson` to a welcome and calls
 * `joinedMessages` after a welcome or a resume; the goto handler calls `deckMoved`; start.ts calls `attachPolls` before replaying and `resumeQuizzes` after.
 */
import type { TalkHost } from '../talk/host.ts';
import type { Peer } from '../room/peer.ts';
import { paceHandlers, paceGreeting } from './pace/index.ts';
import { currentResultsJson, pollHandlers, pollViewsJson, quizJoinedJson, slideShown } from './polls/index.ts';
import { reactionHandlers } from './reactions/index.ts';

export { attachPolls, resumeQuizzes } from './polls/index.ts';

export const audienceHandlers = { ...pollHandlers, ...reactionHandlers, ...paceHandlers };

/** The welcome's `polls`, already serialised (the same for most joiners between two changes). */
export const welcomePollsJson = pollViewsJson;

/** After a welcome or a resume: what a joining client needs beyond the stored snapshot, as JSON. */
export function joinedMessages(host: TalkHost, peer: Peer, resumed: boolean): string[] {
  const quiz = quizJoinedJson(host, peer);
  return resumed ? [...currentResultsJson(host, peer), ...paceGreeting(host, peer), ...quiz] : [...paceGreeting(host, peer), ...quiz];
}

export function deckMoved(host: TalkHost): void {
  slideShown(host);
}
