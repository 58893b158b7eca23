import {
  ERROR_CODES,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ClientMessageType,
  type ErrorCode,
  type WelcomeMessage,
} from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';
import { resumeReply } from './resumable-room.ts';
import { writeFrame } from './frame.ts';
import { sendAll, sendMessage } from './room.ts';
import { welcomeFrames } from './welcome.ts';
import { audienceHandlers, deckMoved, joinedMessages, welcomePollsJson } from '../features/feedback.ts';
import { interactionHandlers, interactionSnapshots } from '../features/interaction.ts';
import { networkBudgetOf } from '../features/network-budget.ts';
import { reactionTotals } from '../features/reactions/index.ts';
import { admitsRemote, speakerGreeting, speakerHandlers } from '../features/speaker/index.ts';
import { liveHandlers, liveSnapshots } from '../features/live/index.ts';
import type { TalkHost } from './host.ts';

export interface HandlerContext {
  /** Finds a talk by its (normalised) join code. */
  findTalk(code: string): TalkHost | undefined;
  /** Closes a connection with an application close code after telling it why. */
  refuse(peer: Peer, code: ErrorCode, closeCode: number, ref: string): void;
}

type Handler<T extends ClientMessageType> = (
  peer: Peer,
  message: Extract<ClientMessage, { type: T }>,
  ctx: HandlerContext,
) => void;

export function replyError(peer: Peer, code: ErrorCode, ref?: string, detail?: string): void {
  const message = detail ? `${ERROR_CODES[code]} ${detail}` : ERROR_CODES[code];
  sendMessage(peer, ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
}

/** The talk a joined peer belongs to, or an error reply and undefined. */
function joinedHost(peer: Peer, ctx: HandlerContext, ref: string): TalkHost | undefined {
  const host = peer.talk ? ctx.findTalk(peer.talk.code) : undefined;
  if (!host) replyError(peer, 'not_joined', ref);
  return host;
}

export const handlers: { [K in ClientMessageType]: Handler<K> } = {
  hello(peer, msg, ctx) {
    if (peer.role) return replyError(peer, 'already_joined', 'hello');
    if (msg.v !== PROTOCOL_VERSION) return ctx.refuse(peer, 'version', 4001, 'hello');
    const host = ctx.findTalk(msg.talk);
    if (!host) return ctx.refuse(peer, 'unknown_talk', 4001, 'hello');
    const { talk, room } = host;
    if (msg.role === 'presenter' && !talk.isPresenterKey(msg.key) && !admitsRemote(host, peer, msg.key)) return ctx.refuse(peer, 'bad_key', 4003, 'hello');
    if (msg.role === 'moderator' && !talk.isModeratorKey(msg.key)) return ctx.refuse(peer, 'bad_key', 4003, 'hello');

    peer.role = msg.role;
    peer.talk = talk;
    peer.participant = msg.participant ?? null;
    room.add(peer, msg.role);
    if (msg.role === 'audience') networkBudgetOf(talk).joined(peer);

    // Everything a joiner is told leaves as one buffer in one write, in this order: the welcome
    // (or `resumed` and what was missed), the current results and pace a resume or staff need,
    // then the Q&A and chat snapshots.
    const resumed = resumeReply(peer, room, msg.role, msg.lastSeq, talk.seq);
    if (resumed) {
      if (msg.role === 'audience') host.schedulePresence();
      sendAll(peer, [...resumed, ...joinedMessages(host, peer, true), ...interactionSnapshots(peer, talk), ...speakerGreeting(host, peer), ...liveSnapshots(peer, talk, msg.lastSeq)]);
      return;
    }
    const welcome: WelcomeMessage = {
      type: 'welcome',
      v: PROTOCOL_VERSION,
      seq: talk.seq,
      role: msg.role,
      connection: peer.id,
      talk: talk.info,
      deck: talk.deck,
      audience: room.count('audience'),
    };
    if (msg.role === 'presenter') welcome.notes = talk.notes;
    if (msg.role === 'presenter' || msg.role === 'moderator') welcome.reactions = reactionTotals(host);
    const after = [...interactionSnapshots(peer, talk), ...joinedMessages(host, peer, false), ...speakerGreeting(host, peer), ...liveSnapshots(peer, talk)];
    writeFrame(peer.ws, welcomeFrames(welcome, welcomePollsJson(host, peer), after));
    if (msg.role === 'audience') host.schedulePresence();
  },

  goto(peer, msg, ctx) {
    const host = joinedHost(peer, ctx, 'goto');
    if (!host) return;
    if (peer.role !== 'presenter') return replyError(peer, 'forbidden', 'goto', 'Only the presenter moves the deck.');
    const seq = host.talk.moveTo(msg.state);
    if (seq === null) return replyError(peer, 'out_of_range', 'goto');
    host.room.broadcast({ type: 'deck', seq, state: host.talk.deck, origin: peer.id });
    deckMoved(host);
  },

  ping(peer, msg) {
    sendMessage(peer, { type: 'pong', t: msg.t, server: Date.now() });
  },

  ...audienceHandlers,
  ...interactionHandlers,
  ...speakerHandlers,
  ...liveHandlers,
};

/** Dispatches a parsed message; the mapped type makes a missing handler a compile error. */
export function dispatch(peer: Peer, message: ClientMessage, ctx: HandlerContext): void {
  if (message.type !== 'hello' && message.type !== 'ping' && !peer.role) {
    return replyError(peer, 'not_joined', message.type);
  }
  (handlers[message.type] as Handler<typeof message.type>)(peer, message, ctx);
}
