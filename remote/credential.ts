/**
 * The remote's credential: obtained once by trading the QR code's one-time token (read from the
 * URL fragment, then taken out of the address bar) in a POST body, and kept in this phone's
 * localStorage for this talk. Neither ever appears in a URL the server sees.
 */
import * as v from 'valibot';
import { pairResponseSchema } from '../protocol/speaker-schemas.ts';

const storageKey = (talk: string) => `livedeck.remote.${talk}`;

export function storedCredential(talk: string): string | null {
  try {
    return localStorage.getItem(storageKey(talk));
  } catch (err) {
    console.warn('livedeck: cannot read this phone\'s remote credential', err);
    return null;
  }
}

export function forgetCredential(talk: string): void {
  try {
    localStorage.removeItem(storageKey(talk));
  } catch (err) {
    console.warn('livedeck: cannot forget the remote credential', err);
  }
}

/** The pairing token from `#pair=…`, removed from the address bar (and so from history) at once. */
export function takePairingToken(loc: Location = location): string | null {
  const token = new URLSearchParams(loc.hash.slice(1)).get('pair');
  if (loc.hash) history.replaceState(null, '', loc.pathname + loc.search);
  return token;
}

/** A name the console can list: what kind of phone this is, never anything personal. */
function deviceName(): string {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return 'iPhone';
  if (/iPad/.test(ua)) return 'iPad';
  if (/Android/.test(ua)) return 'Android phone';
  return 'Browser';
}

export type PairOutcome = { ok: true; credential: string } | { ok: false; message: string };

export async function pairWith(talk: string, token: string): Promise<PairOutcome> {
  let res: Response;
  try {
    res = await fetch(`/remote/${encodeURIComponent(talk)}/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, name: deviceName() }),
      cache: 'no-store',
    });
  } catch (err) {
    return { ok: false, message: `Could not reach the server: ${err instanceof Error ? err.message : String(err)}` };
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `The server said ${res.status}.`;
    return { ok: false, message: error };
  }
  const parsed = v.safeParse(pairResponseSchema, body);
  if (!parsed.success) return { ok: false, message: 'The server\'s answer was not understood.' };
  try {
    localStorage.setItem(storageKey(talk), parsed.output.credential);
  } catch (err) {
    console.warn('livedeck: cannot keep the remote credential; pairing lasts until this page closes', err);
  }
  return { ok: true, credential: parsed.output.credential };
}
