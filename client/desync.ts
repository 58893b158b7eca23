/**
 * Never a silent desync: the console says, where the speaker looks, when phones are not where
 * the console is (a refused move) or cannot be (the console's deck differs from the server's).
 */
import type { DeckState, ErrorMessage, TalkInfo } from '../protocol/messages.ts';
import { slideLabel } from './deck-state.ts';
import type { StatusDot } from './status.ts';
import { firstDifference, type DeckStructure, type Difference } from './structure.ts';

export interface DesyncView {
  /** Over the current slide: the last refused move, until phones follow again. */
  refusal: HTMLElement;
  /** The standing difference between this console's deck and the server's. */
  mismatch: HTMLElement;
  status: Pick<StatusDot, 'alert'>;
}

export class DesyncWatch {
  /** Where phones are: the last position the server accepted (welcome or deck, any origin). */
  private phones: DeckState | null = null;
  private refusalText: string | null = null;
  private difference: Difference | null = null;

  constructor(private readonly view: DesyncView) {}

  welcome(talk: TalkInfo, deck: DeckState, local: DeckStructure): void {
    this.phones = deck;
    this.refusalText = null;
    this.difference = firstDifference(local, talk);
    this.show();
  }

  /** The server broadcast a position: phones are there now, and the last move went through. */
  accepted(state: DeckState): void {
    this.phones = state;
    this.refusalText = null;
    this.show();
  }

  /** The server refused a move of this console; phones stay where they were. */
  refused(error: Pick<ErrorMessage, 'code' | 'message'>): void {
    const where = this.phones ? `Phones are on slide ${slideLabel(this.phones)}` : 'Phones are not following';
    this.refusalText =
      error.code === 'out_of_range' ? `${where} – this slide is not in the deck they have` : `${where} – the server refused this move: ${error.message}`;
    this.show();
  }

  /** Whether notes at this position may belong to another slide (at or after the first difference). */
  doubtful(state: Pick<DeckState, 'indexh' | 'indexv'>): boolean {
    const d = this.difference;
    return d !== null && (state.indexh > d.h || (state.indexh === d.h && state.indexv >= d.v));
  }

  private show(): void {
    const { refusal, mismatch, status } = this.view;
    refusal.hidden = this.refusalText === null;
    refusal.textContent = this.refusalText ?? '';
    mismatch.hidden = this.difference === null;
    mismatch.textContent = this.difference
      ? `Not the phones' deck: ${this.difference.message} Moves from there on may be refused or land elsewhere.`
      : '';
    status.alert(this.refusalText ?? (this.difference ? 'Out of sync: see the warning' : null));
  }
}
