import type { DeckState } from '../../protocol/messages.ts';

export const INITIAL_DECK_STATE: DeckState = { indexh: 0, indexv: 0, indexf: -1, paused: false, overview: false };

/** True when the position exists in a deck with these stack sizes. Fragments are not counted server-side. */
export function isInDeck(state: DeckState, stacks: readonly number[]): boolean {
  const stack = stacks[state.indexh];
  return stack !== undefined && state.indexv < stack;
}
