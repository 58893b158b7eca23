import {
  CLOSE_CODES,
  ERROR_CODES,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ErrorCode,
  type HelloMessage,
  type PingMessage,
  type WelcomeMessage,
} from '../../protocol/messages.ts';
import type { Peer } from '../room/peer.ts';
import { resumeReply } from '../room/resumable-room.ts';
import { writeFrame } from '../room/frame.ts';
import { sendAll, sendMessage } from '../room/room.ts';
import { welcomeFrames } from './welcome.ts';
import { networkBudgetOf } from '../features/network-budget.ts';
import type { HandlerContext } from '../talk/feature.ts';
import type { TalkHost } from '../talk/host.ts';

export type { HandlerContext };

/** Message types the relay answers itself; every other type belongs to one feature (FeatureSet). */
export const RELAY_TYPES = ['hello', 'ping'] as const;

/** How long a phone that saw a seq this node has not applied yet waits for it (it came from a node further ahead). */
export const CATCH_UP_WAIT_MS = 2_000;

export function replyError(peer: Peer, code: ErrorCode, ref?: string, detail?: string): void {
  const message = detail ? `${ERROR_CODES[code]} ${detail}` : ERROR_CODES[code];
  sendMessage(peer, ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
}

function hello(peer: Peer, msg: HelloMessage, ctx: HandlerContext): void {
  if (peer.role) return replyError(peer, 'already_joined', 'hello');
  if (msg.v !== PROTOCOL_VERSION) return ctx.refuse(peer, 'version', 4001, 'hello');
  const host = ctx.findTalk(msg.talk);
  if (!host) return ctx.refuse(peer, 'unknown_talk', 4001, 'hello');
  const { talk } = host;
  if (msg.role === 'presenter' && !talk.isPresenterKey(msg.key) && !host.features.admitsPresenter(peer, msg.key)) return ctx.refuse(peer, 'bad_key', 4003, 'hello');
  if (msg.role === 'moderator' && !talk.isModeratorKey(msg.key)) return ctx.refuse(peer, 'bad_key', 4003, 'hello');

  peer.role = msg.role;
  peer.talk = talk;
  peer.participant = msg.participant ?? null;
  // A phone that already saw a seq this node has not applied came from a node further ahead:
  // answering now would move it backwards, so it waits (briefly) for this node to catch up.
  if (msg.lastSeq !== undefined && msg.lastSeq > talk.seq && talk.log.vouchesFor(msg.epoch, msg.lastSeq)) {
    void host.reached(msg.lastSeq, CATCH_UP_WAIT_MS).then(
      (caughtUp) => {
        if (peer.ws.readyState !== peer.ws.OPEN) return;
        // Still behind: a welcome now would move the phone back, so it tries again (1013), maybe elsewhere.
        if (!caughtUp) return ctx.refuse(peer, 'unavailable', CLOSE_CODES.tryAgainLater, 'hello');
        join(peer, msg, host);
      },
    ).catch((err: unknown) => {
      // Outside the relay's own try/catch: answer as it would, never let it end the process.
      replyError(peer, 'internal', 'hello');
      process.emitWarning(`livedeck: a delayed join failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return;
  }
  join(peer, msg, host);
}

function join(peer: Peer, msg: HelloMessage, host: TalkHost): void {
  const { talk, room } = host;
  room.add(peer, msg.role);
  if (msg.role === 'audience') networkBudgetOf(talk).joined(peer);

  // Everything a joiner is told leaves as one buffer in one write: the welcome (or `resumed`
  // and what was missed), then what each feature sends a joiner, in the features' order.
  const vouched = msg.lastSeq !== undefined && talk.log.vouchesFor(msg.epoch, msg.lastSeq);
  const resumed = vouched ? resumeReply(peer, room, msg.role, msg.lastSeq, talk.seq, host.audience(), talk.epoch) : null;
  if (resumed) {
    if (msg.role === 'audience') host.schedulePresence();
    sendAll(peer, [...resumed, ...host.features.joined(peer, { resumed: true, lastSeq: msg.lastSeq })]);
    return;
  }
  const welcome: WelcomeMessage = {
    type: 'welcome',
    v: PROTOCOL_VERSION,
    seq: talk.seq,
    epoch: talk.epoch,
    role: msg.role,
    connection: peer.id,
    talk: talk.info,
    deck: talk.deck,
    audience: host.audience(),
  };
  if (msg.role === 'presenter') welcome.notes = talk.notes;
  const polls = host.features.welcome(peer, welcome);
  writeFrame(peer.ws, welcomeFrames(welcome, polls, host.features.joined(peer, { resumed: false, lastSeq: undefined })));
  if (msg.role === 'audience') host.schedulePresence();
}

function ping(peer: Peer, msg: PingMessage): void {
  sendMessage(peer, { type: 'pong', t: msg.t, server: Date.now() });
}

/** Dispatches a parsed message: hello and ping here, everything else to the talk's features. */
export function dispatch(peer: Peer, message: ClientMessage, ctx: HandlerContext): void {
  if (message.type === 'hello') return hello(peer, message, ctx);
  if (message.type === 'ping') return ping(peer, message);
  if (!peer.role) return replyError(peer, 'not_joined', message.type);
  const host = peer.talk ? ctx.findTalk(peer.talk.code) : undefined;
  if (!host) return replyError(peer, 'not_joined', message.type);
  if (!host.features.dispatch(peer, message, ctx)) replyError(peer, 'unknown_type', message.type);
}
