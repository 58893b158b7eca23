/**
 * The one shape every feature has. A feature owns some event kinds of the talk's log, applies
 * them to its state in seq order (and, live, fans the change out to this node's connections),
 * handles some client messages (by committing events, never by changing state directly), and
 * tells a joining connection what it needs after the welcome. The relay runs the list that
 * start.ts assembles; no feature imports the relay, and a new feature touches no relay file.
 *
 * Because every node of a cluster applies the same events in the same order, `apply` must be
 * deterministic (no clock, no randomness: use event.at) and must ignore an event that no longer
 * fits (another node's write may have raced it: a vote for a question hidden meanwhile).
 */
import type { ClientMessage, ClientMessageType, ErrorCode, WelcomeMessage } from '../../protocol/messages.ts';
import type { Peer } from '../room/peer.ts';
import type { StoredEvent } from '../store/types.ts';
import type { TalkHost } from './host.ts';

export interface HandlerContext {
  /** Finds a talk by its (normalised) join code. */
  findTalk(code: string): TalkHost | undefined;
  /** Closes a connection with an application close code after telling it why. */
  refuse(peer: Peer, code: ErrorCode, closeCode: number, ref: string): void;
}

export type Handler<T extends ClientMessageType> = (peer: Peer, message: Extract<ClientMessage, { type: T }>, ctx: HandlerContext) => void;

export type HandlerTable = { [K in ClientMessageType]?: Handler<K> };

/** How a connection joined: after a full welcome, or after `resumed` and the messages it missed since lastSeq. */
export interface Join {
  resumed: boolean;
  lastSeq: number | undefined;
}

export interface Feature {
  /** For errors and the docs. */
  readonly name: string;
  /** Event kinds this feature writes; `apply` gets each of them, in seq order. */
  readonly kinds?: readonly string[];
  /** Other features' kinds it must also see, after their owner applied them (polls watch deck moves). */
  readonly watches?: readonly string[];
  /** Applies one event: the state change, and when `live` the fan-out to this node's connections. */
  apply?(event: StoredEvent, live: boolean): void;
  readonly handlers?: HandlerTable;
  /** A presenter hello with a key that is not the presenter key: true if this feature knows it (a paired phone remote). */
  admitsPresenter?(peer: Peer, key: string | undefined): boolean;
  /** Fields this feature adds to a welcome (reaction totals for staff). */
  welcome?(peer: Peer, welcome: WelcomeMessage): void;
  /** The welcome's `polls`, already JSON (one feature only). */
  welcomePollsJson?(peer: Peer): string | undefined;
  /** JSON messages a joining connection gets after its welcome, or after `resumed` and what it missed. */
  joined?(peer: Peer, join: Join): string[];
  /** Once the log is replayed and the talk is live: start clocks that act on their own. */
  started?(): void;
  /** The talk stops: timers off. */
  stop?(): void;
}
