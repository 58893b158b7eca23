/**
 * The deck position: the presenter's goto commits an absolute state, and applying it moves the
 * talk's deck and tells every connection. The stored data is the state plus the connection that
 * made the move (`origin`), so the console that moved ignores its own echo on any node.
 */
import type { DeckState } from '../../../protocol/messages.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import { refuse } from '../reply.ts';
import { isInDeck } from '../../talk/deck-state.ts';
import { commitFailed } from '../committed.ts';

export const DECK_EVENT = 'deck';

export interface DeckData extends DeckState {
  /** Connection id of the presenter who moved; absent in logs written before it was kept. */
  origin?: string;
}

export function deckFeature(host: TalkHost): Feature {
  const { talk, room } = host;
  const goto: Handler<'goto'> = (peer, msg) => {
    if (peer.role !== 'presenter') return refuse(peer, 'forbidden', 'goto', 'Only the presenter moves the deck.');
    if (!isInDeck(msg.state, talk.info)) return refuse(peer, 'out_of_range', 'goto');
    const data: DeckData = { ...msg.state, origin: peer.id };
    talk.commit({ kind: DECK_EVENT, data, participant: null, key: null }).catch(commitFailed(peer, 'goto'));
  };
  return {
    name: 'deck',
    kinds: [DECK_EVENT],
    handlers: { goto },
    apply(event, live) {
      const data = event.data as DeckData;
      if (!talk.showDeck(data) || !live) return;
      room.broadcast({ type: 'deck', seq: event.seq, state: talk.deck, origin: data.origin ?? '' });
    },
  };
}
