import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { HostAllowList } from '../security/hosts.ts';
import { renderJoinForm } from './pages.ts';

/** sha256 sources for the join form's inline <style> (computed from the markup itself, so they never drift). */
function inlineStyleHashes(): string[] {
  const html = renderJoinForm(null);
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1] ?? '', 'utf8').digest('base64')}'`,
  );
}

/** A Host header safe to echo into a CSP source (host[:port], or a bracketed IPv6 address). */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export interface SecurityHeadersOptions {
  /** The Host names this server answers to; only such a Host is written into the CSP (none: 'self' alone). */
  hosts?: HostAllowList | null;
  /** CSP sources (`'sha256-…'`) of the deck's own inline scripts, allowed on deck pages only (Deck.scriptHashes). */
  deckScriptHashes?: readonly string[];
}

/** Exactly a CSP hash source: nothing else may slip into the header. */
const SCRIPT_HASH = /^'sha256-[A-Za-z0-9+/]{43}='$/;

/**
 * Content-Security-Policy and friends for every response.
 *
 * Scripts: only our own bundles ('self'), never eval; inline only on deck pages and only the
 * deck's own inline scripts, each allowed by its hash (the author is trusted; audience text
 * never enters the deck markup, so nothing from a phone can match a hash). Styles: our bundles and the
 * theme; deck pages also allow inline styles because reveal.js writes a <style> element for
 * auto-animate and deck authors put style="" on their own markup (styles cannot run code);
 * the join form allows exactly its own inline <style> by hash. Images, media and frames may come from
 * https: and http: because decks embed pictures, videos and pages from the web (reveal.js's own
 * demo has an http:// GIF background), and none of them can run script in our page: an image
 * or a video has no script, a frame from another origin runs in its own origin (a same-origin
 * http: frame can only be our own host, which script-src already governs). Sockets: our own host only, written out
 * besides 'self' for browsers whose 'self' does not cover ws:; only a Host the server answers
 * to is written (the request gate refuses the others before the app runs; checking here keeps
 * an unvetted Host out of the header when the app runs without the gate).
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const hosts = options.hosts ?? null;
  const joinStyle = inlineStyleHashes().join(' ');
  const deckScripts = (options.deckScriptHashes ?? []).filter((h) => SCRIPT_HASH.test(h)).map((h) => ` ${h}`).join('');
  return async (c, next) => {
    await next();
    const host = c.req.header('host') ?? '';
    const sockets = hosts?.allows(host) && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
    const isDeckPage = /^\/(?:j|screen|presenter|remote)\//.test(c.req.path) && c.res.status === 200;
    const style = isDeckPage ? "'self' 'unsafe-inline'" : `'self' ${joinStyle}`;
    const csp = [
      "default-src 'self'",
      `script-src 'self'${isDeckPage ? deckScripts : ''}`,
      `style-src ${style}`,
      "img-src 'self' data: blob: https: http:",
      "media-src 'self' data: blob: https: http:",
      "font-src 'self' data:",
      `connect-src 'self'${sockets}`,
      // The audience page's service worker (/audience-sw.js), from our own origin only.
      "worker-src 'self'",
      "frame-src 'self' https: http:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'self'",
    ].join('; ');
    c.res.headers.set('content-security-policy', csp);
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'no-referrer');
    c.res.headers.set('x-frame-options', 'SAMEORIGIN');
    c.res.headers.set('cross-origin-opener-policy', 'same-origin');
    c.res.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  };
}
