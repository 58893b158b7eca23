/**
 * Reading and applying reveal.js positions. Imports reveal.js only as a type, so the LiveDeck
 * plugin (client/livedeck/) can drive a deck whose page already has its own reveal.js.
 */
import type Reveal from 'reveal.js';
import type { DeckState } from '../protocol/messages.ts';

export type RevealDeck = InstanceType<typeof Reveal>;

/** Events after which the deck's position may differ. */
export const MOVE_EVENTS = [
  'slidechanged',
  'fragmentshown',
  'fragmenthidden',
  'overviewshown',
  'overviewhidden',
  'paused',
  'resumed',
] as const;

/** The synced subset of reveal's state; reveal leaves indexf undefined on slides without fragments. */
export function readState(deck: RevealDeck): DeckState {
  const s = deck.getState();
  return {
    indexh: s.indexh,
    indexv: s.indexv ?? 0,
    indexf: typeof s.indexf === 'number' ? s.indexf : -1,
    paused: Boolean(s.paused),
    overview: Boolean(s.overview),
  };
}

export function sameState(a: DeckState, b: DeckState): boolean {
  return a.indexh === b.indexh && a.indexv === b.indexv && a.indexf === b.indexf && a.paused === b.paused && a.overview === b.overview;
}

/**
 * Moves a deck to a state while telling listeners that the move was not the user's.
 * reveal fires its events synchronously inside setState, so a flag is enough.
 */
export class DeckDriver {
  private applying = false;

  constructor(readonly deck: RevealDeck) {}

  apply(state: DeckState): void {
    if (sameState(readState(this.deck), state)) return;
    this.applying = true;
    try {
      this.deck.setState({ ...state });
    } finally {
      this.applying = false;
    }
  }

  /** Calls `listener` after moves made by the user (keys, swipes, controls), not by apply(). */
  onUserMove(listener: (state: DeckState) => void): void {
    for (const type of MOVE_EVENTS) {
      this.deck.on(type, () => {
        if (!this.applying) listener(readState(this.deck));
      });
    }
  }
}

/** "3" or "3.2" as people count slides: one-based, vertical index only when in a stack. */
export function slideLabel(state: Pick<DeckState, 'indexh' | 'indexv'>): string {
  return state.indexv > 0 ? `${state.indexh + 1}.${state.indexv + 1}` : `${state.indexh + 1}`;
}
