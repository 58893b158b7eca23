/**
 * Valibot schemas for every speaker-tools message (protocol/speaker.ts), both directions, and
 * for the pairing request body. The client→server table is merged into parse.ts's.
 */
import * as v from 'valibot';
import {
  SPEAKER_LIMITS,
  TIMER_ACTIONS,
  type PairRequest,
  type PairResponse,
  type SpeakerClientMessage,
  type SpeakerServerMessage,
} from './speaker.ts';

/** Tokens, ids and credentials: URL-safe base64 and dots, bounded. */
const opaque = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[A-Za-z0-9_.-]+$/));
const millis = v.pipe(v.number(), v.integer(), v.minValue(0));

export const speakerClientSchemas = {
  timer: v.object({ type: v.literal('timer'), action: v.picklist(TIMER_ACTIONS) }),
  pairRemote: v.object({ type: v.literal('pairRemote') }),
  revokeRemote: v.object({ type: v.literal('revokeRemote'), device: opaque(64) }),
} satisfies { [K in SpeakerClientMessage['type']]: v.GenericSchema<unknown, Extract<SpeakerClientMessage, { type: K }>> };

const device = v.strictObject({ id: opaque(64), name: v.pipe(v.string(), v.maxLength(SPEAKER_LIMITS.deviceName)), pairedAt: millis });

export const speakerServerSchemas = {
  timerState: v.strictObject({
    type: v.literal('timerState'),
    running: v.boolean(),
    elapsed: millis,
    duration: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
  remotePairing: v.strictObject({ type: v.literal('remotePairing'), token: opaque(128), expiresIn: millis }),
  remoteDevices: v.strictObject({ type: v.literal('remoteDevices'), devices: v.array(device) }),
} satisfies { [K in SpeakerServerMessage['type']]: v.GenericSchema<unknown, Extract<SpeakerServerMessage, { type: K }>> };

/** The phone's pairing request body; the name is trimmed, and a blank one becomes "Phone". */
export const pairRequestSchema = v.strictObject({
  token: opaque(128),
  name: v.pipe(
    v.string(),
    v.maxLength(400),
    v.transform((s) => s.trim().slice(0, SPEAKER_LIMITS.deviceName) || 'Phone'),
  ),
}) satisfies v.GenericSchema<unknown, PairRequest>;

export const pairResponseSchema = v.strictObject({ device: opaque(64), credential: opaque(128) }) satisfies v.GenericSchema<unknown, PairResponse>;
