/**
 * The speaker's tools as the relay sees them: the server-held talk timer and phones paired as
 * remotes. start.ts calls `attachSpeaker` before replaying and mounts `remoteRoutes`; the hello
 * handler asks `admitsRemote` about a presenter hello whose key is not the presenter key, and
 * sends `speakerGreeting` after a welcome or a resume; the handler table spreads `speakerHandlers`.
 *
 * Stored events: `speaker.timer` {action}, `remote.paired` {device, name, hash},
 * `remote.revoked` {device}. Pairing tokens are memory only.
 */
import { CLOSE_CODES } from '../../../protocol/messages.ts';
import { SPEAKER_LIMITS, type RemoteDevicesMessage, type TimerAction, type TimerStateMessage } from '../../../protocol/speaker.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { sendMessage } from '../../room/room.ts';
import type { Replayer } from '../../talk/talk.ts';
import { hostOf, type FeatureHandler } from '../peers.ts';
import { refuse } from '../reply.ts';
import { TalkClock } from './clock.ts';
import { credentialHash, mintCredential, RemoteDevices, type PairedData, type RevokedData } from './devices.ts';
import { PairingTokens } from './pairing.ts';

export const SPEAKER_EVENTS = { timer: 'speaker.timer', paired: 'remote.paired', revoked: 'remote.revoked' } as const;

export interface SpeakerOptions {
  /** Planned talk length in seconds, or null. */
  duration: number | null;
  /** How long a pairing QR code works (SPEAKER_LIMITS.pairingTtlMs by default; tests shorten it). */
  pairingTtlMs?: number;
}

interface Speaker {
  readonly host: TalkHost;
  readonly clock: TalkClock;
  readonly devices: RemoteDevices;
  readonly tokens: PairingTokens;
  readonly duration: number | null;
  /** Open connections of each paired remote, so unpairing one closes them at once. */
  readonly connections: Map<string, Set<Peer>>;
}

const byHost = new WeakMap<TalkHost, Speaker>();
/** Presenter connections that came in with a remote's credential rather than the presenter key. */
const deviceOf = new WeakMap<Peer, string>();

export function attachSpeaker(host: TalkHost, options: SpeakerOptions): Record<string, Replayer> {
  const speaker: Speaker = {
    host,
    clock: new TalkClock(),
    devices: new RemoteDevices(),
    tokens: new PairingTokens(options.pairingTtlMs ?? SPEAKER_LIMITS.pairingTtlMs),
    duration: options.duration,
    connections: new Map(),
  };
  byHost.set(host, speaker);
  return {
    [SPEAKER_EVENTS.timer]: (e) => speaker.clock.apply((e.data as { action: TimerAction }).action, e.at),
    [SPEAKER_EVENTS.paired]: (e) => speaker.devices.paired(e.data as PairedData, e.at),
    [SPEAKER_EVENTS.revoked]: (e) => speaker.devices.revoked(e.data as RevokedData),
  };
}

export function speakerOf(host: TalkHost): Speaker | undefined {
  return byHost.get(host);
}

/** A presenter hello with a paired remote's credential: admitted, and remembered as that remote. */
export function admitsRemote(host: TalkHost, peer: Peer, key: string | undefined): boolean {
  const speaker = byHost.get(host);
  const device = key === undefined || !speaker ? null : speaker.devices.match(key);
  if (!speaker || !device) return false;
  deviceOf.set(peer, device);
  let open = speaker.connections.get(device);
  if (!open) speaker.connections.set(device, (open = new Set()));
  open.add(peer);
  peer.ws.once('close', () => {
    open.delete(peer);
    if (open.size === 0 && speaker.connections.get(device) === open) speaker.connections.delete(device);
  });
  return true;
}

export function timerStateMessage(speaker: Speaker, now = Date.now()): TimerStateMessage {
  return { type: 'timerState', running: speaker.clock.isRunning, elapsed: Math.round(speaker.clock.elapsed(now)), duration: speaker.duration };
}

export function devicesMessage(speaker: Speaker): RemoteDevicesMessage {
  return { type: 'remoteDevices', devices: speaker.devices.list() };
}

/** For a joining presenter connection: the timer as it stands now and the paired remotes, as JSON. */
export function speakerGreeting(host: TalkHost, peer: Peer): string[] {
  const speaker = byHost.get(host);
  if (!speaker || peer.role !== 'presenter') return [];
  return [JSON.stringify(timerStateMessage(speaker)), JSON.stringify(devicesMessage(speaker))];
}

/** Records a new remote (the pairing route calls it once the token is spent) and tells the consoles. */
export function pairDevice(speaker: Speaker, name: string): { device: string; credential: string } {
  const { device, secret, credential } = mintCredential();
  const data: PairedData = { device, name, hash: credentialHash(secret) };
  const { event } = speaker.host.talk.record({ kind: SPEAKER_EVENTS.paired, data, participant: null, key: null });
  speaker.devices.paired(data, event.at);
  speaker.host.room.broadcast(devicesMessage(speaker), ['presenter']);
  return { device, credential };
}

/** The speaker, if this peer may run the talk's remotes (the presenter key itself, not a remote). */
function keyHolder(peer: Peer, host: TalkHost | undefined, ref: string): Speaker | undefined {
  const speaker = host ? byHost.get(host) : undefined;
  if (!speaker) {
    refuse(peer, 'not_joined', ref);
    return undefined;
  }
  if (peer.role !== 'presenter' || deviceOf.has(peer)) {
    refuse(peer, 'forbidden', ref, 'Only the presenter link pairs and unpairs remotes.');
    return undefined;
  }
  return speaker;
}

export const speakerHandlers: { timer: FeatureHandler<'timer'>; pairRemote: FeatureHandler<'pairRemote'>; revokeRemote: FeatureHandler<'revokeRemote'> } = {
  timer(peer, msg, ctx) {
    const host = hostOf(peer, ctx);
    const speaker = host ? byHost.get(host) : undefined;
    if (!host || !speaker) return refuse(peer, 'not_joined', 'timer');
    if (peer.role !== 'presenter') return refuse(peer, 'forbidden', 'timer', 'Only the presenter runs the timer.');
    const { event } = host.talk.record({ kind: SPEAKER_EVENTS.timer, data: { action: msg.action }, participant: null, key: null });
    speaker.clock.apply(msg.action, event.at);
    host.room.broadcast(timerStateMessage(speaker), ['presenter']);
  },

  pairRemote(peer, _msg, ctx) {
    const speaker = keyHolder(peer, hostOf(peer, ctx), 'pairRemote');
    if (!speaker) return;
    if (speaker.devices.size >= SPEAKER_LIMITS.devices) return refuse(peer, 'too_many_devices', 'pairRemote');
    sendMessage(peer, { type: 'remotePairing', ...speaker.tokens.issue(Date.now()) });
  },

  revokeRemote(peer, msg, ctx) {
    const speaker = keyHolder(peer, hostOf(peer, ctx), 'revokeRemote');
    if (!speaker) return;
    if (!speaker.devices.has(msg.device)) return refuse(peer, 'bad_message', 'revokeRemote', 'No paired remote has that id.');
    const data: RevokedData = { device: msg.device };
    speaker.host.talk.record({ kind: SPEAKER_EVENTS.revoked, data, participant: null, key: null });
    speaker.devices.revoked(data);
    // Closing (not just forgetting) the remote's connections: a move it sends from now on is never read.
    for (const remote of speaker.connections.get(msg.device) ?? []) {
      refuse(remote, 'revoked', 'revokeRemote');
      remote.ws.close(CLOSE_CODES.badKey, 'revoked');
    }
    speaker.connections.delete(msg.device);
    speaker.host.room.broadcast(devicesMessage(speaker), ['presenter']);
  },
};
