/**
 * Features still written the old way (their handlers append and fan out themselves), wrapped
 * in the Feature shape so the relay runs one list. Each moves to its own Feature as it is
 * converted to commit-then-apply; this file then goes.
 */
import type { Feature } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';
import type { Replayer } from '../talk/talk.ts';
import { interactionHandlers, interactionReplayers, interactionSnapshots } from './interaction.ts';
import { admitsRemote, attachSpeaker, speakerGreeting, speakerHandlers, type SpeakerOptions } from './speaker/index.ts';
import { liveHandlers, liveReplayers, liveSnapshots } from './live/index.ts';
import type { HandlerTable } from '../talk/feature.ts';

function replaying(replayers: Record<string, Replayer>): Pick<Feature, 'kinds' | 'apply'> {
  return {
    kinds: Object.keys(replayers),
    apply(event, live) {
      if (!live) replayers[event.kind]?.(event);
    },
  };
}

export function interactionFeature(host: TalkHost): Feature {
  return {
    name: 'interaction',
    ...replaying(interactionReplayers(host.talk)),
    handlers: interactionHandlers as HandlerTable,
    joined: (peer) => interactionSnapshots(peer, host.talk),
  };
}

export function speakerFeature(host: TalkHost, options: SpeakerOptions): Feature {
  return {
    name: 'speaker',
    ...replaying(attachSpeaker(host, options)),
    handlers: speakerHandlers as HandlerTable,
    admitsPresenter: (peer, key) => admitsRemote(host, peer, key),
    joined: (peer) => speakerGreeting(host, peer),
  };
}

export function liveFeature(host: TalkHost): Feature {
  return {
    name: 'live',
    ...replaying(liveReplayers(host.talk)),
    handlers: liveHandlers as HandlerTable,
    joined: (peer, join) => liveSnapshots(peer, host.talk, join.resumed ? join.lastSeq : undefined),
  };
}
