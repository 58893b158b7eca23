/**
 * Schemas for what the fallback transports add (protocol/transport.ts). No new client message
 * travels over them: a POST carries the very ClientMessages of a WebSocket, parsed by parse.ts.
 * The server side adds one field, `slow`, to `presence` for staff, and the envelopes of the
 * HTTP endpoints.
 */
import * as v from 'valibot';
import type { PresenceMessage } from './messages.ts';
import { coreServerSchemas } from './core-schemas.ts';
import { TRANSPORT_ERROR_CODES, type SessionClosed, type SessionOpened, type TransportErrorBody, type TransportErrorCode } from './transport.ts';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const transportClientSchemas = {} as const;

/** `presence` with `slow` (audience connections on a fallback transport, to the presenter only) is core's schema. */
export const transportServerSchemas = { presence: coreServerSchemas.presence } satisfies { presence: v.GenericSchema<unknown, PresenceMessage> };

export const sessionOpenedSchema = v.strictObject({
  session: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16,64}$/)),
  pollWaitMs: count,
  maxBodyBytes: count,
}) satisfies v.GenericSchema<unknown, SessionOpened>;

export const sessionClosedSchema = v.strictObject({
  code: v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(4999)),
  reason: v.pipe(v.string(), v.maxLength(123)),
}) satisfies v.GenericSchema<unknown, SessionClosed>;

export const transportErrorSchema = v.strictObject({
  error: v.picklist(Object.keys(TRANSPORT_ERROR_CODES) as [TransportErrorCode, ...TransportErrorCode[]]),
  message: v.string(),
}) satisfies v.GenericSchema<unknown, TransportErrorBody>;
