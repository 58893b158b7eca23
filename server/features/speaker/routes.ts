/**
 * The phone's one HTTP exchange: `POST /remote/<code>/pair` with `{token, name}` in the body
 * (the token came in the QR code's URL fragment, which never reaches the server), answered with
 * the remote's credential once the pairing is committed. A token works once, within its time,
 * on whichever node the phone reaches; nothing here logs a body.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { ERROR_CODES } from '../../../protocol/messages.ts';
import type { PairResponse } from '../../../protocol/speaker.ts';
import { pairRequestSchema } from '../../../protocol/speaker-schemas.ts';
import type { TalkHost } from '../../talk/host.ts';
import { LogRefused, LogUnavailable } from '../../talk/log.ts';
import { normalizeJoinCode } from '../../talk/secrets.ts';
import { speakerOf } from './index.ts';

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
    const outcome = speaker.pair(parsed.output.token, parsed.output.name, Date.now());
    if (outcome === 'too_many_devices') return c.json({ error: ERROR_CODES.too_many_devices }, 409, NO_STORE);
    if (outcome === 'pairing_spent') return c.json({ error: ERROR_CODES.pairing_spent }, 403, NO_STORE);
    try {
      const paired = await outcome;
      if (paired === 'pairing_spent') return c.json({ error: ERROR_CODES.pairing_spent }, 403, NO_STORE);
      return c.json(paired satisfies PairResponse, 200, NO_STORE);
    } catch (err) {
      // The token is not spent: the phone may send the same request again.
      if (err instanceof LogUnavailable) {
        return c.json({ error: ERROR_CODES.unavailable }, 503, { ...NO_STORE, 'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) });
      }
      if (err instanceof LogRefused) return c.json({ error: ERROR_CODES[err.code] }, 409, NO_STORE);
      throw err;
    }
  });
  return app;
}
