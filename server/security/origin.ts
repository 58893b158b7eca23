/**
 * Cross-site WebSocket hijacking guard. Browsers always send Origin on a WebSocket upgrade, and
 * a page on another site could otherwise open a socket to us. Allowed: no Origin (non-browser
 * clients cannot be forged by a web page), an Origin whose host is the request's Host, or one
 * listed with --allow-origin (a reverse proxy with another public name).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === null) return false;
  if (allowed.some((a) => normalizeOrigin(a) === normalized)) return true;
  if (!host) return false;
  let originHost: string;
  try {
    originHost = new URL(normalized).host;
  } catch {
    return false;
  }
  return originHost === host.toLowerCase();
}

/** scheme://host[:port] in lower case with default ports dropped, or null for anything else ("null", garbage). */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}
