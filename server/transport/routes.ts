import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../protocol/messages.ts';
import {
  FALLBACK_LIMITS,
  FALLBACK_PATHS,
  FALLBACK_PREFIX,
  TRANSPORT_ERROR_CODES,
  type SessionOpened,
  type TransportErrorBody,
  type TransportErrorCode,
} from '../../protocol/transport.ts';
import { originAllowed } from '../security/origin.ts';
import type { SessionSocket } from './session-socket.ts';
import { SessionRegistry } from './sessions.ts';
import { FORWARDED_HEADER, forwardRequest, nodeOfSession, type SessionForwarder } from './forward.ts';

/** What the fallback endpoints need of the relay: a way in for a socket-like session. */
export interface SessionHost {
  /** Takes the session as a connection (false: the per-address cap is reached). */
  adopt(ws: WebSocket, address: string): boolean;
  readonly allowOrigins: readonly string[];
}

const STATUS: Record<TransportErrorCode, number> = {
  unknown_session: 404,
  events_gone: 410,
  too_large: 413,
  too_many_messages: 413,
  forbidden_origin: 403,
  too_many_connections: 429,
  not_found: 404,
};

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/**
 * The HTTP endpoints of the fallback transports (docs/protocol.md, "Fallback transports").
 * Each request is answered from the session it names and nothing else, so any request may go
 * to any process that holds that session. Returns a request listener that answers paths under
 * FALLBACK_PREFIX and says false for any other.
 */
export function fallbackRoutes(host: SessionHost, forwarder: SessionForwarder | null = null): { handle(req: IncomingMessage, res: ServerResponse): boolean } {
  const registry = new SessionRegistry(forwarder?.node);
  const session = (url: URL, res: ServerResponse): SessionSocket | undefined => {
    const found = registry.get(url.searchParams.get('session'));
    if (!found) fail(res, 'unknown_session');
    return found;
  };

  const routes: Record<string, Route> = {
    [`POST ${FALLBACK_PATHS.session}`]: (req, res) => {
      req.resume();
      const address = req.socket.remoteAddress ?? 'unknown';
      if (registry.size >= FALLBACK_LIMITS.maxSessions) return fail(res, 'too_many_connections');
      const created = registry.create(address);
      if (!host.adopt(created as unknown as WebSocket, address)) {
        created.terminate();
        return fail(res, 'too_many_connections');
      }
      const opened: SessionOpened = { session: created.id, pollWaitMs: FALLBACK_LIMITS.pollWaitMs, maxBodyBytes: FALLBACK_LIMITS.maxBodyBytes };
      res.writeHead(201, JSON_HEADERS);
      res.end(JSON.stringify(opened));
    },
    [`GET ${FALLBACK_PATHS.events}`]: (req, res, url) => {
      const found = session(url, res);
      if (!found) return;
      // An EventSource that reconnects sends the header; a client opening a new one passes `last`.
      const last = req.headers['last-event-id'] ?? url.searchParams.get('last');
      if (!found.attachStream(res, typeof last === 'string' && last !== '' ? Number(last) : null)) fail(res, 'events_gone');
    },
    [`GET ${FALLBACK_PATHS.poll}`]: (_req, res, url) => {
      const found = session(url, res);
      if (!found) return;
      if (!found.attachPoll(res, Number(url.searchParams.get('after') ?? '0'))) fail(res, 'events_gone');
    },
    [`POST ${FALLBACK_PATHS.send}`]: (req, res, url) => {
      const found = session(url, res);
      if (!found) return void req.resume();
      readBody(req, FALLBACK_LIMITS.maxBodyBytes, (body) => {
        if (body === null) {
          // As a WebSocket frame over the limit closes the socket with 1009.
          fail(res, 'too_large');
          return found.close(CLOSE_CODES.tooBig, 'too_large');
        }
        const lines = body.toString('utf8').split('\n').filter((line) => line.trim() !== '');
        if (lines.length > FALLBACK_LIMITS.maxMessagesPerPost) return fail(res, 'too_many_messages');
        if (found.readyState !== found.OPEN) return fail(res, 'unknown_session');
        found.heard();
        for (const line of lines) found.deliver(Buffer.from(line, 'utf8'));
        res.writeHead(204, { 'cache-control': 'no-store' });
        res.end();
      });
    },
    [`POST ${FALLBACK_PATHS.close}`]: (req, res, url) => {
      req.resume();
      const found = session(url, res);
      if (!found) return;
      found.terminate();
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
    },
  };

  return {
    handle(req, res) {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      if (path !== FALLBACK_PREFIX && !path.startsWith(`${FALLBACK_PREFIX}/`)) return false;
      // The check a WebSocket upgrade gets: a page on another site may not open or drive a session.
      if (!originAllowed(req.headers.origin, req.headers.host, host.allowOrigins)) {
        req.resume();
        fail(res, 'forbidden_origin');
        return true;
      }
      // A deck hosted on an allowed site (the LiveDeck plugin) reads these answers from its own origin.
      if (req.headers.origin !== undefined) {
        res.setHeader('access-control-allow-origin', req.headers.origin);
        res.setHeader('vary', 'origin');
      }
      const route = routes[`${req.method} ${path}`];
      if (!route) {
        req.resume();
        fail(res, 'not_found');
        return true;
      }
      const url = new URL(req.url ?? '/', 'http://livedeck.invalid');
      const owner = nodeOfSession(url.searchParams.get('session'));
      if (forwarder && owner !== null && owner !== registry.node && req.headers[FORWARDED_HEADER] === undefined) {
        void forwarder.locate(owner).then(async (base) => {
          if (base === null || !(await forwardRequest(base, req, res))) {
            // That node is gone: the client opens a new session here and resumes by lastSeq.
            req.resume();
            fail(res, 'unknown_session');
          }
        });
        return true;
      }
      route(req, res, url);
      return true;
    },
  };
}

function fail(res: ServerResponse, error: TransportErrorCode): void {
  if (res.headersSent) return;
  const body: TransportErrorBody = { error, message: TRANSPORT_ERROR_CODES[error] };
  res.writeHead(STATUS[error], JSON_HEADERS);
  res.end(JSON.stringify(body));
}

/** The body, or null once it passes `limit` bytes (the rest is read and dropped, so the answer can be sent). */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | null) => void): void {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return done(null);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) over = true;
    else chunks.push(chunk);
  });
  req.on('end', () => done(over ? null : Buffer.concat(chunks)));
  // An aborted upload: nothing to answer and nothing delivered.
  req.on('error', () => req.destroy());
}
