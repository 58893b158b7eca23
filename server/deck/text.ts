/** Small text helpers for notes and titles: entity decoding, tag stripping, tidying. */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the entities that matter for notes and titles; unknown ones are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/**
 * The text of an HTML snippet: line breaks kept for <br> and block ends, tags dropped,
 * comments dropped, entities decoded.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|li|div|h[1-6]|pre|blockquote|tr)\s*>/gi, '$&\n')
    .replace(/<\/?[a-z][^>]*>/gi, '');
  return decodeEntities(text);
}

/** Text on one line with runs of whitespace collapsed: for titles. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Tidies notes text: trailing spaces off every line, the common indentation of the
 * following lines removed (HTML notes are usually indented), at most one blank line in a row.
 */
export function tidyNotes(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.replace(/\s+$/, ''));
  const first = (lines.shift() ?? '').trimStart();
  const indents = lines.filter((line) => line !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return [first, ...lines.map((line) => line.slice(cut))]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
