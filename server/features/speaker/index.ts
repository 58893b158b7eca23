/**
 * The speaker's tools: the server-held talk timer and phones paired as remotes. Every change is
 * committed to the talk's log and applied here in seq order, on every node of a cluster, so a
 * token minted on one node is redeemable on any, and a remote paired on one node is admitted
 * (and, once unpaired, shut out) on all of them.
 *
 * Stored events: `speaker.timer` {action}, `remote.token` {hash, ttlMs} (the token's SHA-256,
 * never the token), `remote.paired` {device, name, hash, token} (the secret's and the spent
 * token's SHA-256, never the credential), `remote.revoked` {device}.
 */
import { CLOSE_CODES } from '../../../protocol/messages.ts';
import { SPEAKER_LIMITS, type RemoteDevicesMessage, type TimerAction, type TimerStateMessage } from '../../../protocol/speaker.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Committed } from '../../talk/log.ts';
import type { Peer } from '../../room/peer.ts';
import { sendMessage } from '../../room/room.ts';
import { commitFailed } from '../committed.ts';
import { refuse } from '../reply.ts';
import { TalkClock } from './clock.ts';
import { credentialHash, mintCredential, RemoteDevices, type PairedData, type RevokedData } from './devices.ts';
import { mintToken, PairingTokens, tokenHash, type TokenData } from './pairing.ts';

export const SPEAKER_EVENTS = { timer: 'speaker.timer', token: 'remote.token', paired: 'remote.paired', revoked: 'remote.revoked' } as const;

export interface SpeakerOptions {
  /** Planned talk length in seconds, or null. */
  duration: number | null;
  /** How long a pairing QR code works (SPEAKER_LIMITS.pairingTtlMs by default; tests shorten it). */
  pairingTtlMs?: number;
}

/** Why a pairing request was not granted: the route turns it into an HTTP status. */
export type PairRefusal = 'too_many_devices' | 'pairing_spent';

export interface SpeakerFeature extends Feature {
  /**
   * Trades a pairing token for a remote's credential (the HTTP route calls it). The paired event
   * is keyed by the token's hash, so the same token redeemed on two nodes at once pairs once.
   */
  pair(token: string, name: string, now: number): PairRefusal | Promise<{ device: string; credential: string } | 'pairing_spent'>;
}

/** The HTTP pairing route is mounted apart from the feature list (start.ts), so it finds the feature here. */
const features = new WeakMap<TalkHost, SpeakerFeature>();

export function speakerOf(host: TalkHost): SpeakerFeature | undefined {
  return features.get(host);
}

export function speakerFeature(host: TalkHost, options: SpeakerOptions): SpeakerFeature {
  const { talk, room } = host;
  const clock = new TalkClock();
  const devices = new RemoteDevices();
  const tokens = new PairingTokens();
  const ttlMs = options.pairingTtlMs ?? SPEAKER_LIMITS.pairingTtlMs;
  /** Open connections of each paired remote on this node, so unpairing one closes them at once. */
  const connections = new Map<string, Set<Peer>>();
  /** Presenter connections that came in with a remote's credential rather than the presenter key. */
  const deviceOf = new WeakMap<Peer, string>();

  const timerState = (now = Date.now()): TimerStateMessage => ({ type: 'timerState', running: clock.isRunning, elapsed: Math.round(clock.elapsed(now)), duration: options.duration });
  const devicesMessage = (): RemoteDevicesMessage => ({ type: 'remoteDevices', devices: devices.list() });

  /** True if this peer may run the talk's remotes (the presenter key itself, not a remote); otherwise it is told why. */
  const keyHolder = (peer: Peer, ref: string): boolean => {
    if (peer.role === 'presenter' && !deviceOf.has(peer)) return true;
    refuse(peer, 'forbidden', ref, 'Only the presenter link pairs and unpairs remotes.');
    return false;
  };

  const timer: Handler<'timer'> = (peer, msg) => {
    if (peer.role !== 'presenter') return refuse(peer, 'forbidden', 'timer', 'Only the presenter runs the timer.');
    talk.commit({ kind: SPEAKER_EVENTS.timer, data: { action: msg.action }, participant: null, key: null }).catch(commitFailed(peer, 'timer'));
  };

  const pairRemote: Handler<'pairRemote'> = (peer) => {
    if (!keyHolder(peer, 'pairRemote')) return;
    if (devices.size >= SPEAKER_LIMITS.devices) return refuse(peer, 'too_many_devices', 'pairRemote');
    const { token, data } = mintToken(ttlMs);
    // The token goes to the console only once every node can redeem it.
    talk
      .commit({ kind: SPEAKER_EVENTS.token, data, participant: null, key: null })
      .then(() => sendMessage(peer, { type: 'remotePairing', token, expiresIn: ttlMs }), commitFailed(peer, 'pairRemote'));
  };

  const revokeRemote: Handler<'revokeRemote'> = (peer, msg) => {
    if (!keyHolder(peer, 'revokeRemote')) return;
    if (!devices.has(msg.device)) return refuse(peer, 'bad_message', 'revokeRemote', 'No paired remote has that id.');
    const data: RevokedData = { device: msg.device };
    talk.commit({ kind: SPEAKER_EVENTS.revoked, data, participant: null, key: null }).catch(commitFailed(peer, 'revokeRemote'));
  };

  const apply: NonNullable<Feature['apply']> = (event, live) => {
    if (event.kind === SPEAKER_EVENTS.timer) {
      clock.apply((event.data as { action: TimerAction }).action, event.at);
      if (live) room.broadcast(timerState(), ['presenter']);
    } else if (event.kind === SPEAKER_EVENTS.token) {
      tokens.issued(event.data as TokenData, event.at);
    } else if (event.kind === SPEAKER_EVENTS.paired) {
      const data = event.data as PairedData;
      if (data.token !== undefined) tokens.spent(data.token);
      devices.paired(data, event.at);
      if (live) room.broadcast(devicesMessage(), ['presenter']);
    } else if (event.kind === SPEAKER_EVENTS.revoked) {
      const { device } = event.data as RevokedData;
      devices.revoked({ device });
      if (!live) return;
      // Closing (not just forgetting) the remote's connections on every node: a move it sends from now on is never read.
      for (const remote of connections.get(device) ?? []) {
        refuse(remote, 'revoked', 'revokeRemote');
        remote.ws.close(CLOSE_CODES.badKey, 'revoked');
      }
      connections.delete(device);
      room.broadcast(devicesMessage(), ['presenter']);
    }
  };

  const feature: SpeakerFeature = {
    name: 'speaker',
    kinds: Object.values(SPEAKER_EVENTS),
    apply,
    handlers: { timer, pairRemote, revokeRemote },

    /** A presenter hello with a paired remote's credential: admitted, and remembered as that remote. */
    admitsPresenter(peer, key) {
      const device = key === undefined ? null : devices.match(key);
      if (!device) return false;
      deviceOf.set(peer, device);
      let open = connections.get(device);
      if (!open) connections.set(device, (open = new Set()));
      open.add(peer);
      peer.ws.once('close', () => {
        open.delete(peer);
        if (open.size === 0 && connections.get(device) === open) connections.delete(device);
      });
      return true;
    },

    /** For a joining presenter connection: the timer as it stands now and the paired remotes. */
    joined: (peer) => (peer.role === 'presenter' ? [JSON.stringify(timerState()), JSON.stringify(devicesMessage())] : []),

    pair(token, name, now) {
      if (devices.size >= SPEAKER_LIMITS.devices) return 'too_many_devices';
      const hash = tokenHash(token);
      if (!tokens.usable(hash, now)) return 'pairing_spent';
      const { device, secret, credential } = mintCredential();
      const data: PairedData = { device, name, hash: credentialHash(secret), token: hash };
      return talk
        .commit({ kind: SPEAKER_EVENTS.paired, data, participant: '@server', key: `pair:${hash}` })
        .then(({ duplicate }: Committed) => (duplicate ? 'pairing_spent' : { device, credential }));
    },
  };
  features.set(host, feature);
  return feature;
}
