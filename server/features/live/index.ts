/**
 * Live presenting: the laser pointer, pen drawing, media played in step and the screen's chat
 * wall, as one feature. Drawing, media and wall changes are committed to the talk's log and
 * applied here in seq order on every node (the fan-out carries the event's seq). They are not
 * kept in the resume ring (a drawing is hundreds of batches): a returning client gets the
 * snapshots instead. The pointer is never stored: it crosses nodes as a signal.
 */
import * as v from 'valibot';
import { LIVE_LIMITS, type InkMessage, type MediaState, type SlideKey, type WallStateMessage } from '../../../protocol/live.ts';
import { liveServerSchemas } from '../../../protocol/live-schemas.ts';
import type { ServerMessage, TalkInfo } from '../../../protocol/messages.ts';
import { slideRefLabel } from '../../../protocol/qa.ts';
import type { Peer } from '../../room/peer.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Talk } from '../../talk/talk.ts';
import type { StoredEvent } from '../../store/types.ts';
import { chatOf } from '../chat/index.ts';
import { commitFailed } from '../committed.ts';
import { registerExportSection } from '../export/index.ts';
import { fanOut } from '../fanout.ts';
import { refuse } from '../reply.ts';
import { InkBoard, INK_EVENTS, type ClearedData, type PointsData } from './ink.ts';
import { PerSeq } from '../per-seq.ts';
import { pointerOf } from './pointer.ts';
import { setWall, WALL_EVENT, wallOf, type WallState } from './wall-state.ts';

export { chatRoles } from './wall-state.ts';

export const MEDIA_EVENT = 'media.state';
/** The signal channel of the laser pointer: every node fans it out to its own connections. */
export const POINTER_SIGNAL = 'live.pointer';

interface LiveState {
  ink: InkBoard;
  media: MediaState | null;
  /** Seq of the last drawing, media or wall event: a client resuming from at least this missed none of them. */
  changedAt: number;
  /** The drawing as JSON, made once per seq: a join storm serialises every stroke once, not per phone. */
  snapshots: PerSeq<'ink'>;
}

/** Kept by talk rather than in the feature: the export reads the drawings from a talk. */
const states = new WeakMap<Talk, LiveState>();

export function liveOf(talk: Talk): LiveState {
  let state = states.get(talk);
  if (!state) {
    state = { ink: new InkBoard(), media: null, changedAt: 0, snapshots: new PerSeq() };
    states.set(talk, state);
  }
  return state;
}

function slideInDeck(slide: SlideKey, info: TalkInfo): boolean {
  return slide.indexv < (info.stacks[slide.indexh] ?? 0);
}

/** True for a presenter connection aiming at a slide of the deck; otherwise the sender is told why. */
function mayPresent(peer: Peer, info: TalkInfo, ref: string, slide: SlideKey | null): boolean {
  if (peer.role !== 'presenter') {
    refuse(peer, 'forbidden', ref, 'Only the presenter draws, points and plays media.');
    return false;
  }
  if (slide && !slideInDeck(slide, info)) {
    refuse(peer, 'out_of_range', ref);
    return false;
  }
  return true;
}

const STAFF_AND_ROOM = { publicRoles: ['audience', 'screen'] } as const;

export function liveFeature(host: TalkHost): Feature {
  const { talk, room } = host;
  const live = liveOf(talk);
  const commit = (peer: Peer, ref: string, kind: string, data: unknown) =>
    talk.commit({ kind, data, participant: null, key: null }).catch(commitFailed(peer, ref));

  const pointer: Handler<'pointer'> = (peer, msg) => {
    if (!mayPresent(peer, talk.info, 'pointer', msg.slide)) return;
    host.signals.publish(POINTER_SIGNAL, { type: 'pointer', slide: msg.slide, at: msg.at });
  };

  const stroke: Handler<'stroke'> = (peer, msg) => {
    if (!mayPresent(peer, talk.info, 'stroke', msg.slide)) return;
    const data: PointsData = { stroke: msg.stroke, slide: msg.slide, color: msg.color, width: msg.width, points: msg.points };
    const refusal = live.ink.refusal(data);
    if (refusal === 'other_slide') return refuse(peer, 'bad_message', 'stroke', 'That stroke id belongs to another slide.');
    if (refusal !== null) return refuse(peer, 'ink_full', 'stroke');
    commit(peer, 'stroke', INK_EVENTS.points, data);
  };

  const ink_clear: Handler<'ink_clear'> = (peer, msg) => {
    if (!mayPresent(peer, talk.info, 'ink_clear', msg.slide)) return;
    commit(peer, 'ink_clear', INK_EVENTS.cleared, { slide: msg.slide } satisfies ClearedData);
  };

  const media: Handler<'media'> = (peer, msg) => {
    if (!mayPresent(peer, talk.info, 'media', msg.slide)) return;
    // `at` is part of the stored state, so every node (and a replay) places the playhead alike.
    const state: MediaState = { slide: msg.slide, index: msg.index, playing: msg.playing, position: msg.position, at: Date.now() };
    commit(peer, 'media', MEDIA_EVENT, state);
  };

  const wall: Handler<'wall'> = (peer, msg) => {
    if (!mayPresent(peer, talk.info, 'wall', msg.slide)) return;
    commit(peer, 'wall', WALL_EVENT, { on: msg.on, slide: msg.on ? msg.slide : null } satisfies WallState);
  };

  const apply = (event: StoredEvent, isLive: boolean): void => {
    const { seq } = event;
    if (event.kind === INK_EVENTS.points) {
      if (!live.ink.apply(event)) return;
      live.changedAt = seq;
      if (!isLive) return;
      const message: InkMessage = { type: 'ink', seq, ...(event.data as PointsData) };
      fanOut(room, { staff: message, public: message, ...STAFF_AND_ROOM });
    } else if (event.kind === INK_EVENTS.cleared) {
      live.ink.apply(event);
      live.changedAt = seq;
      if (!isLive) return;
      const message: ServerMessage = { type: 'ink_cleared', seq, slide: (event.data as ClearedData).slide };
      fanOut(room, { staff: message, public: message, ...STAFF_AND_ROOM });
    } else if (event.kind === MEDIA_EVENT) {
      live.media = event.data as MediaState;
      live.changedAt = seq;
      if (isLive) fanOut(room, { staff: null, public: { type: 'media_state', seq, media: live.media, now: Date.now() }, ...STAFF_AND_ROOM });
    } else if (event.kind === WALL_EVENT) {
      setWall(talk, event.data as WallState);
      live.changedAt = seq;
      if (isLive) fanOut(room, { staff: wallMessage(talk, seq, false), public: wallMessage(talk, seq, true), publicRoles: ['screen'] });
    }
  };

  // Every node's pointer relay hears every move, whichever node the console is connected to.
  // A signal crossed Redis in a cluster: it is parsed like any input before phones get it.
  host.signals.subscribe(POINTER_SIGNAL, (data) => {
    if (v.is(liveServerSchemas.pointer, data)) pointerOf(host).move(data);
  });

  return {
    name: 'live',
    kinds: [INK_EVENTS.points, INK_EVENTS.cleared, MEDIA_EVENT, WALL_EVENT],
    apply,
    handlers: { pointer, stroke, ink_clear, media, wall },
    joined: (peer, join) => liveSnapshots(peer, talk, join.resumed ? join.lastSeq : undefined),
  };
}

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
