import type { DeckState, TalkInfo } from '../../protocol/messages.ts';
import { INITIAL_DECK_STATE, isInDeck } from './deck-state.ts';
import { hashSecret, secretMatches } from './secrets.ts';

export interface TalkOptions {
  code: string;
  presenterKey: string;
  info: TalkInfo;
  notes: Record<string, string>;
}

/**
 * The authoritative state of one talk. Every change bumps `seq`, which is shared by all
 * messages of the talk so clients can order anything they receive.
 * Only a presenter connection may call `moveTo` (enforced by the handlers).
 */
export class Talk {
  readonly code: string;
  readonly info: TalkInfo;
  readonly notes: Record<string, string>;
  private readonly presenterKeyHash: Buffer;
  private deckState: DeckState = INITIAL_DECK_STATE;
  private sequence = 0;

  constructor(options: TalkOptions) {
    this.code = options.code;
    this.info = options.info;
    this.notes = options.notes;
    this.presenterKeyHash = hashSecret(options.presenterKey);
  }

  get seq(): number {
    return this.sequence;
  }

  get deck(): DeckState {
    return this.deckState;
  }

  isPresenterKey(key: string | undefined): boolean {
    return key !== undefined && secretMatches(key, this.presenterKeyHash);
  }

  /** Next sequence number for a message about to be sent. */
  nextSeq(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** Applies an absolute position; returns false (and changes nothing) if it is not in the deck. */
  moveTo(state: DeckState): boolean {
    if (!isInDeck(state, this.info.stacks)) return false;
    this.deckState = { ...state };
    return true;
  }
}
