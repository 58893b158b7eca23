/**
 * Audience feedback: polls (with quizzes), reactions and the pace signal, as one feature in the
 * list, so a joiner hears them in the order it always has: after a resume the current results,
 * then (staff) the pace gauge, then quiz clocks, boards and scores.
 */
import type { PollDefinition } from '../../protocol/polls.ts';
import type { Feature } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';
import { paceFeature } from './pace/index.ts';
import { pollsFeature } from './polls/index.ts';
import { reactionsFeature } from './reactions/index.ts';

export function feedbackFeature(host: TalkHost, deckPolls: readonly PollDefinition[]): Feature {
  const polls = pollsFeature(host, deckPolls);
  const pace = paceFeature(host);
  const reactions = reactionsFeature(host);
  return {
    name: 'feedback',
    kinds: polls.kinds!,
    watches: polls.watches!,
    apply: polls.apply!,
    handlers: { ...polls.handlers, ...reactions.handlers, ...pace.handlers },
    welcome: reactions.welcome!,
    welcomePollsJson: polls.welcomePollsJson!,
    joined(peer, join) {
      const gauge = pace.joined!(peer, join);
      return join.resumed ? [...polls.resultsJson(peer), ...gauge, ...polls.quizJson(peer)] : [...gauge, ...polls.quizJson(peer)];
    },
    started: polls.started!,
    stop() {
      polls.stop!();
      pace.stop!();
      reactions.stop!();
    },
  };
}
