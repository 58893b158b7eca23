import type { DeckState, TalkInfo } from '../../protocol/messages.ts';
import type { AppendResult, NewEvent, Store, StoredEvent } from '../store/types.ts';
import { INITIAL_DECK_STATE, isInDeck } from './deck-state.ts';
import { secretMatches } from './secrets.ts';

export interface TalkOptions {
  code: string;
  /** SHA-256 of the presenter key (the key itself is never kept). */
  presenterKeyHash: Buffer;
  /** SHA-256 of the moderator key; without it no moderator can join. */
  moderatorKeyHash?: Buffer;
  info: TalkInfo;
  notes: Record<string, string>;
  store: Store;
}

/** Rebuilds one feature's in-memory state from a stored event (at start, in log order). */
export type Replayer = (event: StoredEvent) => void;

/**
 * The authoritative state of one talk. Every change is recorded in the store first (so it is
 * durable before anyone hears of it), and the stored event's seq is the talk's sequence number.
 * Only a presenter connection may call `moveTo` (enforced by the handlers).
 */
export class Talk {
  readonly code: string;
  readonly info: TalkInfo;
  readonly notes: Record<string, string>;
  readonly store: Store;
  private readonly presenterKeyHash: Buffer;
  private readonly moderatorKeyHash: Buffer | null;
  private deckState: DeckState = INITIAL_DECK_STATE;

  constructor(options: TalkOptions) {
    this.code = options.code;
    this.info = options.info;
    this.notes = options.notes;
    this.store = options.store;
    this.presenterKeyHash = options.presenterKeyHash;
    this.moderatorKeyHash = options.moderatorKeyHash ?? null;
  }

  /** Replays the stored log through the given replayers (by event kind); 'deck' is handled here. */
  replay(replayers: Record<string, Replayer> = {}): void {
    let after = 0;
    for (;;) {
      const batch = this.store.events(this.code, after, 5000);
      if (batch.length === 0) break;
      for (const event of batch) {
        if (event.kind === 'deck') this.restoreDeck(event.data as DeckState);
        else replayers[event.kind]?.(event);
        after = event.seq;
      }
    }
  }

  get seq(): number {
    return this.store.lastSeq(this.code);
  }

  get deck(): DeckState {
    return this.deckState;
  }

  isPresenterKey(key: string | undefined): boolean {
    return key !== undefined && secretMatches(key, this.presenterKeyHash);
  }

  /** The moderator link's key: moderates questions and chat, never moves the deck. */
  isModeratorKey(key: string | undefined): boolean {
    return key !== undefined && this.moderatorKeyHash !== null && secretMatches(key, this.moderatorKeyHash);
  }

  /** Durably records an event of this talk; the caller then updates its state and broadcasts. */
  record(event: NewEvent): AppendResult {
    return this.store.append(this.code, event);
  }

  /** Applies an absolute position; returns its seq, or null (changing nothing) if it is not in the deck. */
  moveTo(state: DeckState): number | null {
    if (!isInDeck(state, this.info)) return null;
    const { event } = this.record({ kind: 'deck', data: state, participant: null, key: null });
    this.deckState = { ...state };
    return event.seq;
  }

  private restoreDeck(state: DeckState): void {
    if (isInDeck(state, this.info)) this.deckState = { ...state };
  }
}

