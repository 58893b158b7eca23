/**
 * The features a talk runs, in the order a joiner hears from them. start.ts (and the report
 * CLI, which replays a log without serving it) assemble the list here; the relay only runs it.
 */
import type { Deck } from '../deck/index.ts';
import type { Feature } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';
import { deckFeature } from './deck/index.ts';
import { qaFeature } from './qa/index.ts';
import { attachTopics } from './topics/index.ts';
import { feedbackFeature } from './feedback.ts';
import { interactionFeature, liveFeature, speakerFeature } from './legacy.ts';

export interface FeatureOptions {
  /** How long a remote-pairing QR code works (tests shorten it). */
  pairingTtlMs?: number;
}

export function talkFeatures(host: TalkHost, deck: Pick<Deck, 'polls' | 'topics' | 'duration'>, options: FeatureOptions = {}): Feature[] {
  attachTopics(host, deck.topics);
  return [
    deckFeature(host),
    feedbackFeature(host, deck.polls),
    qaFeature(host),
    interactionFeature(host),
    speakerFeature(host, { duration: deck.duration ?? null, ...(options.pairingTtlMs === undefined ? {} : { pairingTtlMs: options.pairingTtlMs }) }),
    liveFeature(host),
  ];
}
