/**
 * The speaker's tools on the wire: the server-held talk timer and phones paired as remotes.
 * Shared by the server and the browsers, so it imports nothing from Node or the DOM.
 * docs/protocol.md ("Speaker tools") is its prose form.
 *
 * Who may write what: any presenter connection (the presenter link or a paired remote) sends
 * `timer`; only a connection holding the presenter key itself sends `pairRemote` and
 * `revokeRemote`, so a phone cannot pair more phones or keep itself from being unpaired.
 */

export const TIMER_ACTIONS = ['start', 'pause', 'reset'] as const;
export type TimerAction = (typeof TIMER_ACTIONS)[number];

export const SPEAKER_LIMITS = {
  /** A pairing QR code works once, for this long. */
  pairingTtlMs: 3 * 60_000,
  /** A remote's name as the console lists it (the phone's own description of itself). */
  deviceName: 60,
  /** Paired remotes a talk may have at once; unpair one to pair another. */
  devices: 20,
} as const;

/* ---------------- client → server ---------------- */

/** Starts, pauses or resets the talk timer (a stored presenter write). */
export interface TimerMessage {
  type: 'timer';
  action: TimerAction;
}

/** Asks for a one-time pairing token, answered with `remotePairing` to this connection only. */
export interface PairRemoteMessage {
  type: 'pairRemote';
}

/** Unpairs a remote: its credential stops working and its open connections are closed at once. */
export interface RevokeRemoteMessage {
  type: 'revokeRemote';
  device: string;
}

export type SpeakerClientMessage = TimerMessage | PairRemoteMessage | RevokeRemoteMessage;

/* ---------------- server → client ---------------- */

/**
 * The talk timer as the server holds it, sent to presenter connections after a welcome or a
 * resume and after every change. `elapsed` is measured when the message is sent, so a client
 * adds its own time since receipt while `running` (no clock agreement needed).
 */
export interface TimerStateMessage {
  type: 'timerState';
  running: boolean;
  /** Milliseconds on the timer when this message was sent. */
  elapsed: number;
  /** The planned talk length in seconds (front matter `duration`, `--duration`, or reveal.js's `totalTime`), null when none. */
  duration: number | null;
}

/** A one-time pairing token for the console's QR code (never stored, never logged). */
export interface RemotePairingMessage {
  type: 'remotePairing';
  token: string;
  /** Milliseconds until it stops working. */
  expiresIn: number;
}

export interface RemoteDevice {
  id: string;
  name: string;
  /** Epoch milliseconds (server clock). */
  pairedAt: number;
}

/** Every paired remote of the talk, sent to presenter connections after a welcome and after each change. */
export interface RemoteDevicesMessage {
  type: 'remoteDevices';
  devices: RemoteDevice[];
}

export type SpeakerServerMessage = TimerStateMessage | RemotePairingMessage | RemoteDevicesMessage;

/* ---------------- HTTP: the phone's one exchange ---------------- */

/**
 * `POST /remote/<code>/pair` with this JSON body: the token from the QR code's fragment, in a
 * body (never a URL), exchanged for the phone's credential. The token is then spent.
 */
export interface PairRequest {
  token: string;
  name: string;
}

/** The answer: `credential` is what the phone sends as `key` in a presenter hello from then on. */
export interface PairResponse {
  device: string;
  credential: string;
}

export const SPEAKER_ERROR_CODES = {
  revoked: 'This remote was unpaired from the console.',
  pairing_spent: 'This pairing code was already used or has expired. Show a new one on the console.',
  too_many_devices: 'Too many remotes are paired; unpair one on the console first.',
} as const;
