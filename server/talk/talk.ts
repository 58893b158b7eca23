import type { DeckState, TalkInfo } from '../../protocol/messages.ts';
import type { NewEvent, Store } from '../store/types.ts';
import { INITIAL_DECK_STATE, isInDeck } from './deck-state.ts';
import { LocalLog } from './local-log.ts';
import type { CommitGate, Committed, TalkLog } from './log.ts';
import { secretMatches } from './secrets.ts';

export interface TalkOptions {
  code: string;
  /** SHA-256 of the presenter key (the key itself is never kept). */
  presenterKeyHash: Buffer;
  /** SHA-256 of the moderator key; without it no moderator can join. */
  moderatorKeyHash?: Buffer;
  info: TalkInfo;
  notes: Record<string, string>;
  /** This node's copy of the events (the log itself on a single node, the mirror in a cluster): what exports and reports read. */
  store: Store;
  /** Where writes are committed; the store itself (LocalLog) when omitted. */
  log?: TalkLog;
  /** Names the numbering of a single-node log (kept with the talk record, so a restart keeps it). */
  epoch?: string;
}

/**
 * The authoritative facts of one talk: its code, keys, deck and where its log lives. Every
 * change is committed to the log first; features apply it when the log hands it back in seq
 * order (server/talk/feature.ts), on this node and every other.
 */
export class Talk {
  readonly code: string;
  readonly info: TalkInfo;
  readonly notes: Record<string, string>;
  readonly store: Store;
  readonly log: TalkLog;
  private readonly presenterKeyHash: Buffer;
  private readonly moderatorKeyHash: Buffer | null;
  private deckState: DeckState = INITIAL_DECK_STATE;

  constructor(options: TalkOptions) {
    this.code = options.code;
    this.info = options.info;
    this.notes = options.notes;
    this.store = options.store;
    this.log = options.log ?? new LocalLog(options.store, options.code, options.epoch);
    this.presenterKeyHash = options.presenterKeyHash;
    this.moderatorKeyHash = options.moderatorKeyHash ?? null;
  }

  /** The last seq applied on this node. */
  get seq(): number {
    return this.log.applied;
  }

  get epoch(): string {
    return this.log.epoch;
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

  /** Commits a write; it is applied (by its feature) before the promise settles. */
  commit(event: NewEvent, gate?: CommitGate): Promise<Committed> {
    return this.log.commit(event, gate);
  }

  /** Sets the position a deck event names (the deck feature applies it); false if it is not in this deck. */
  showDeck(state: DeckState): boolean {
    if (!isInDeck(state, this.info)) return false;
    this.deckState = { indexh: state.indexh, indexv: state.indexv, indexf: state.indexf, paused: state.paused, overview: state.overview };
    return true;
  }
}
