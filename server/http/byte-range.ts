/**
 * The `Range` request header (RFC 9110 §14), for one byte range. Multiple ranges are answered
 * with the whole file, which the RFC allows ("a server MAY ignore the Range header"): media
 * players ask for one range, and multipart bodies would buy nothing here.
 */
export type RangeRequest =
  /** No usable Range header: send the whole file with 200. */
  | { kind: 'whole' }
  /** Send bytes start..end (inclusive) with 206. */
  | { kind: 'part'; start: number; end: number }
  /** A well-formed range that lies beyond the file: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const m = SINGLE.exec(header);
  // Syntactically invalid, another unit, or several ranges: ignored, as the RFC allows.
  if (!m) return { kind: 'whole' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(size - length, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}
