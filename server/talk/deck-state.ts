import type { DeckState, TalkInfo } from '../../protocol/messages.ts';

export const INITIAL_DECK_STATE: DeckState = { indexh: 0, indexv: 0, indexf: -1, paused: false, overview: false };

/**
 * True when reveal.js can show the position in this deck: the slide exists and `indexf` is -1
 * (no fragment shown) up to the slide's last fragment step (TalkInfo.fragments).
 */
export function isInDeck(state: DeckState, deck: Pick<TalkInfo, 'fragments'>): boolean {
  const steps = deck.fragments[state.indexh]?.[state.indexv];
  return steps !== undefined && state.indexf >= -1 && state.indexf < steps;
}
