/**
 * Live presenting: the laser pointer, pen drawing, media played in step and the screen's chat
 * wall. The relay's handler table spreads `liveHandlers`; start.ts replays `liveReplayers`; the
 * hello handler adds `liveSnapshots` after a welcome or a resume.
 *
 * Drawing, media and wall changes are recorded first (durable before anyone hears of them),
 * then applied and fanned out with the event's seq. They are not kept in the resume ring
 * (a drawing is hundreds of batches): a returning client gets the snapshots instead.
 */
import { LIVE_LIMITS, type InkMessage, type MediaState, type SlideKey, type WallStateMessage } from '../../../protocol/live.ts';
import type { ServerMessage, TalkInfo } from '../../../protocol/messages.ts';
import { slideRefLabel } from '../../../protocol/qa.ts';
import type { Peer } from '../../room/peer.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Replayer, Talk } from '../../talk/talk.ts';
import { chatOf } from '../chat/index.ts';
import { registerExportSection } from '../export/index.ts';
import { fanOut } from '../fanout.ts';
import { hostOf, type FeatureHandler } from '../peers.ts';
import { refuse } from '../reply.ts';
import { InkBoard, INK_EVENTS, type ClearedData, type PointsData } from './ink.ts';
import { PerSeq } from '../per-seq.ts';
import { pointerOf } from './pointer.ts';
import { setWall, WALL_EVENT, wallOf, type WallState } from './wall-state.ts';

export { chatRoles } from './wall-state.ts';

export const MEDIA_EVENT = 'media.state';

interface LiveState {
  ink: InkBoard;
  media: MediaState | null;
  /** Seq of the last drawing, media or wall event: a client resuming from at least this missed none of them. */
  changedAt: number;
  /** The drawing as JSON, made once per seq: a join storm serialises every stroke once, not per phone. */
  snapshots: PerSeq<'ink'>;
}

const states = new WeakMap<Talk, LiveState>();

export function liveOf(talk: Talk): LiveState {
  let state = states.get(talk);
  if (!state) {
    state = { ink: new InkBoard(), media: null, changedAt: 0, snapshots: new PerSeq() };
    states.set(talk, state);
  }
  return state;
}

export function liveReplayers(talk: Talk): Record<string, Replayer> {
  const live = liveOf(talk);
  const changed = (replay: Replayer): Replayer => (event) => {
    live.changedAt = event.seq;
    replay(event);
  };
  const ink = changed((event) => live.ink.apply(event));
  return {
    [INK_EVENTS.points]: ink,
    [INK_EVENTS.cleared]: ink,
    [MEDIA_EVENT]: changed((event) => void (live.media = event.data as MediaState)),
    [WALL_EVENT]: changed((event) => setWall(talk, event.data as WallState)),
  };
}

function slideInDeck(slide: SlideKey, info: TalkInfo): boolean {
  return slide.indexv < (info.stacks[slide.indexh] ?? 0);
}

type LiveType = 'pointer' | 'stroke' | 'ink_clear' | 'media' | 'wall';

/** The talk of a presenter connection aiming at a slide of the deck; otherwise the sender is told why and gets undefined. */
function presenterHost(peer: Peer, ctx: Parameters<FeatureHandler<LiveType>>[2], ref: LiveType, slide: SlideKey | null): TalkHost | undefined {
  const host = hostOf(peer, ctx);
  if (!host) return void refuse(peer, 'not_joined', ref);
  if (peer.role !== 'presenter') return void refuse(peer, 'forbidden', ref, 'Only the presenter draws, points and plays media.');
  if (slide && !slideInDeck(slide, host.talk.info)) return void refuse(peer, 'out_of_range', ref);
  return host;
}

const STAFF_AND_ROOM = { publicRoles: ['audience', 'screen'] } as const;

export const liveHandlers: { [K in LiveType]: FeatureHandler<K> } = {
  pointer(peer, msg, ctx) {
    const host = presenterHost(peer, ctx, 'pointer', msg.slide);
    if (!host) return;
    pointerOf(host).move({ type: 'pointer', slide: msg.slide, at: msg.at });
  },

  stroke(peer, msg, ctx) {
    const host = presenterHost(peer, ctx, 'stroke', msg.slide);
    if (!host) return;
    const { ink } = liveOf(host.talk);
    const data: PointsData = { stroke: msg.stroke, slide: msg.slide, color: msg.color, width: msg.width, points: msg.points };
    const refusal = ink.refusal(data);
    if (refusal === 'other_slide') return refuse(peer, 'bad_message', 'stroke', 'That stroke id belongs to another slide.');
    if (refusal !== null) return refuse(peer, 'ink_full', 'stroke');
    const { event } = host.talk.record({ kind: INK_EVENTS.points, data, participant: null, key: null });
    ink.apply(event);
    liveOf(host.talk).changedAt = event.seq;
    const message: InkMessage = { type: 'ink', seq: event.seq, ...data };
    fanOut(host.room, { staff: message, public: message, ...STAFF_AND_ROOM });
  },

  ink_clear(peer, msg, ctx) {
    const host = presenterHost(peer, ctx, 'ink_clear', msg.slide);
    if (!host) return;
    const data: ClearedData = { slide: msg.slide };
    const { event } = host.talk.record({ kind: INK_EVENTS.cleared, data, participant: null, key: null });
    liveOf(host.talk).ink.apply(event);
    liveOf(host.talk).changedAt = event.seq;
    const message: ServerMessage = { type: 'ink_cleared', seq: event.seq, slide: msg.slide };
    fanOut(host.room, { staff: message, public: message, ...STAFF_AND_ROOM });
  },

  media(peer, msg, ctx) {
    const host = presenterHost(peer, ctx, 'media', msg.slide);
    if (!host) return;
    const now = Date.now();
    const media: MediaState = { slide: msg.slide, index: msg.index, playing: msg.playing, position: msg.position, at: now };
    const { event } = host.talk.record({ kind: MEDIA_EVENT, data: media, participant: null, key: null });
    liveOf(host.talk).media = media;
    liveOf(host.talk).changedAt = event.seq;
    fanOut(host.room, { staff: null, public: { type: 'media_state', seq: event.seq, media, now }, ...STAFF_AND_ROOM });
  },

  wall(peer, msg, ctx) {
    const host = presenterHost(peer, ctx, 'wall', msg.slide);
    if (!host) return;
    const state: WallState = { on: msg.on, slide: msg.on ? msg.slide : null };
    const { event } = host.talk.record({ kind: WALL_EVENT, data: state, participant: null, key: null });
    setWall(host.talk, state);
    liveOf(host.talk).changedAt = event.seq;
    const staff = wallMessage(host.talk, event.seq, false);
    fanOut(host.room, { staff, public: wallMessage(host.talk, event.seq, true), publicRoles: ['screen'] });
  },
};

function wallMessage(talk: Talk, seq: number, forScreen: boolean): WallStateMessage {
  const { on, slide } = wallOf(talk);
  const message: WallStateMessage = { type: 'wall_state', seq, on, slide };
  // The screen hears chat only while the wall is on, so turning it on brings the recent lines.
  if (forScreen && on) message.lines = chatOf(talk).log.tail(null, false, LIVE_LIMITS.wallLines);
  return message;
}

/**
 * What completes a welcome or a resume, as JSON: drawings and media for everyone but the
 * moderator, the wall for staff and the screen. A resume from `resumedFrom` gets them only if
 * one of them changed since (a room coming back from a Wi-Fi blip is not sent every drawing
 * again), except a screen showing the wall: the chat lines it missed are in no resume ring.
 */
export function liveSnapshots(peer: Peer, talk: Talk, resumedFrom?: number): string[] {
  const seq = talk.seq;
  const live = liveOf(talk);
  const out: string[] = [];
  if (resumedFrom !== undefined && live.changedAt <= resumedFrom) {
    return peer.role === 'screen' && wallOf(talk).on ? [JSON.stringify(wallMessage(talk, seq, true))] : out;
  }
  if (peer.role !== 'moderator') out.push(live.snapshots.get(seq, 'ink', inkSnapshotJson, live.ink, seq));
  if (peer.role === 'audience' || peer.role === 'screen') {
    out.push(JSON.stringify({ type: 'media_state', seq, media: live.media, now: Date.now() } satisfies ServerMessage));
  }
  if (peer.role !== 'audience') out.push(JSON.stringify(wallMessage(talk, seq, peer.role === 'screen')));
  return out;
}

function inkSnapshotJson(ink: InkBoard, seq: number): string {
  return JSON.stringify({ type: 'ink_snapshot', seq, strokes: ink.all() } satisfies ServerMessage);
}

registerExportSection({
  name: 'drawings',
  json: (talk) => liveOf(talk).ink.all().map((s) => ({ ...s, slide: { ...s.slide, label: slideRefLabel(s.slide) } })),
  rows: (talk) =>
    liveOf(talk)
      .ink.all()
      .map((s) => ({ kind: 'drawing', id: s.id, slide: slideRefLabel(s.slide), text: `${s.points.length / 2} points`, name: '', votes: null, state: s.color, at: null })),
});
