/**
 * The features a talk runs, in the order a joiner hears from them. start.ts (and the report
 * CLI, which replays a log without serving it) assemble the list here; the relay only runs it.
 */
import type { Deck } from '../deck/index.ts';
import type { Feature } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';
import { deckFeature } from './deck/index.ts';
import { qaFeature } from './qa/index.ts';
import { chatFeature } from './chat/index.ts';
import { muteFeature } from './mute/index.ts';
import { topicsFeature } from './topics/index.ts';
import { feedbackFeature } from './feedback.ts';
import { liveFeature } from './live/index.ts';
import { speakerFeature } from './speaker/index.ts';
import { reportFeature, type RecorderOptions } from './report/index.ts';

export interface FeatureOptions {
  /** How long a remote-pairing QR code works (tests shorten it). */
  pairingTtlMs?: number;
  /** The report recorder's intervals (tests shorten them). */
  report?: Partial<RecorderOptions>;
}

export function talkFeatures(host: TalkHost, deck: Pick<Deck, 'polls' | 'topics' | 'duration'>, options: FeatureOptions = {}): Feature[] {
  return [
    deckFeature(host),
    feedbackFeature(host, deck.polls),
    qaFeature(host),
    chatFeature(host),
    muteFeature(host),
    topicsFeature(host, deck.topics),
    speakerFeature(host, { duration: deck.duration ?? null, ...(options.pairingTtlMs === undefined ? {} : { pairingTtlMs: options.pairingTtlMs }) }),
    liveFeature(host),
    reportFeature(host, options.report),
  ];
}
