import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Cluster mode: a fallback session lives on the node that opened it, but a balancer without
 * sticky sessions sends its next request anywhere. A node that gets a request for another
 * node's session passes it on to that node, once, and streams the answer back (an SSE stream
 * included). Nodes find each other through Redis (server/cluster/node.ts); no balancer rule needed.
 */
export interface SessionForwarder {
  /** This node's id: the prefix of the session ids it mints. */
  readonly node: string;
  /** Where another node answers (scheme://host:port), or null if it is gone. */
  locate(node: string): Promise<string | null>;
}

/** Marks a forwarded request, so it is never forwarded again (a loop between two confused nodes). */
export const FORWARDED_HEADER = 'x-livedeck-forwarded';

/** The node a session id names: `<node>.<secret>`, the secret has no dot. */
export function nodeOfSession(id: string | null): string | null {
  if (id === null) return null;
  const dot = id.lastIndexOf('.');
  return dot > 0 ? id.slice(0, dot) : null;
}

/** Sends `req` to `base` and pipes the answer back; resolves false if that node could not be reached. */
export function forwardRequest(base: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const target = new URL(req.url ?? '/', base);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host, [FORWARDED_HEADER]: '1' }, timeout: 10_000 },
      (answer) => {
        // The answer may be an event stream that stays quiet for long: no idle limit from here on.
        upstream.setTimeout(0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // The owning node went away mid-answer: end this side too, so the phone reconnects.
        answer.once('close', () => {
          if (!res.writableEnded) res.destroy();
        });
        resolve(true);
      },
    );
    upstream.once('error', () => {
      if (res.headersSent) res.destroy();
      resolve(false);
    });
    upstream.once('timeout', () => upstream.destroy());
    // The phone went away: so does the request to the other node (an SSE stream held open there).
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
}
