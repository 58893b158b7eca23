import { createStreamBody } from '@hono/node-server/utils/stream';
import { parseRange } from './byte-range.ts';
import type { DeckFile } from './deck-files.ts';

export interface FileRequest {
  method: string;
  header(name: string): string | undefined;
}

/** A strong validator from size and modification time (what nginx and Apache use), cheap to compute. */
export function etagOf(file: Pick<DeckFile, 'size' | 'mtime'>): string {
  return `"${file.size.toString(16)}-${Math.floor(file.mtime.getTime()).toString(16)}"`;
}

/** HTTP dates have whole seconds; a file modified within the same second counts as unmodified. */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function matchesAny(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since. */
function notModified(req: FileRequest, etag: string, mtime: Date): boolean {
  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch !== undefined) return matchesAny(ifNoneMatch, etag);
  const since = req.header('if-modified-since');
  if (since === undefined) return false;
  const date = Date.parse(since);
  return !Number.isNaN(date) && seconds(mtime) <= Math.floor(date / 1000);
}

/** If-Range: the range applies only to the representation the client already holds part of. */
function rangeStillApplies(req: FileRequest, etag: string, lastModified: string): boolean {
  const ifRange = req.header('if-range');
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  return value.startsWith('"') ? value === etag : value === lastModified;
}

/**
 * Answers a GET or HEAD for an open file: 304 for a matching conditional request, 206 for one
 * satisfiable byte range (Safari plays video only from servers that answer ranges), 416 for a
 * range beyond the end, else 200. The body streams from disk with backpressure, so a room
 * fetching a 50 MiB video at once costs a socket buffer per phone, not a copy of the file.
 * Takes ownership of `file.handle`: the stream closes it, or it is closed here when nothing is sent.
 */
export async function fileResponse(req: FileRequest, file: DeckFile, cacheControl: string): Promise<Response> {
  const etag = etagOf(file);
  const lastModified = file.mtime.toUTCString();
  const headers = new Headers({
    'content-type': file.contentType,
    'cache-control': cacheControl,
    'accept-ranges': 'bytes',
    etag,
    'last-modified': lastModified,
  });
  if (notModified(req, etag, file.mtime)) {
    await file.handle.close();
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }
  const range = req.method === 'GET' && rangeStillApplies(req, etag, lastModified) ? parseRange(req.header('range'), file.size) : { kind: 'whole' as const };
  if (range.kind === 'unsatisfiable') {
    await file.handle.close();
    headers.set('content-range', `bytes */${file.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range.kind === 'part' ? range : { start: 0, end: file.size - 1 };
  headers.set('content-length', String(end - start + 1));
  if (range.kind === 'part') headers.set('content-range', `bytes ${start}-${end}/${file.size}`);
  const status = range.kind === 'part' ? 206 : 200;
  if (req.method === 'HEAD' || file.size === 0) {
    await file.handle.close();
    return new Response(null, { status, headers });
  }
  const stream = file.handle.createReadStream({ start, end, autoClose: true });
  return new Response(createStreamBody(stream), { status, headers });
}
