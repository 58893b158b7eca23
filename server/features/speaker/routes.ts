/**
 * The phone's one HTTP exchange: `POST /remote/<code>/pair` with `{token, name}` in the body
 * (the token came in the QR code's URL fragment, which never reaches the server), answered with
 * the remote's credential. A token works once, within its time; nothing here logs a body.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { ERROR_CODES } from '../../../protocol/messages.ts';
import { SPEAKER_LIMITS, type PairResponse } from '../../../protocol/speaker.ts';
import { pairRequestSchema } from '../../../protocol/speaker-schemas.ts';
import type { TalkHost } from '../../talk/host.ts';
import { normalizeJoinCode } from '../../talk/secrets.ts';
import { pairDevice, speakerOf } from './index.ts';

const NO_STORE = { 'cache-control': 'no-store' };

export function remoteRoutes(host: TalkHost): Hono {
  const app = new Hono();
  app.post('/:code/pair', async (c) => {
    const speaker = speakerOf(host);
    if (!speaker || normalizeJoinCode(c.req.param('code')) !== host.talk.code) return c.json({ error: ERROR_CODES.unknown_talk }, 404, NO_STORE);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: ERROR_CODES.bad_json }, 400, NO_STORE);
    }
    const parsed = v.safeParse(pairRequestSchema, body);
    if (!parsed.success) return c.json({ error: ERROR_CODES.bad_message }, 400, NO_STORE);
    if (speaker.devices.size >= SPEAKER_LIMITS.devices) return c.json({ error: ERROR_CODES.too_many_devices }, 409, NO_STORE);
    if (!speaker.tokens.consume(parsed.output.token, Date.now())) return c.json({ error: ERROR_CODES.pairing_spent }, 403, NO_STORE);
    const paired: PairResponse = pairDevice(speaker, parsed.output.name);
    return c.json(paired, 200, NO_STORE);
  });
  return app;
}
