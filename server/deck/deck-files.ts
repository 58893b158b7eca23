import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DeckError } from './errors.ts';
import { reason } from './resolve.ts';
import { DECK_URL_PREFIX } from './urls.ts';

/** http(s) or protocol-relative: loaded from another host, as reveal-md's isAbsoluteURL says. */
export function isOutsideUrl(url: string): boolean {
  return /^(?:https?:)?\/\//i.test(url.trim());
}

/**
 * A file the deck names (theme, extra CSS or script, external markdown), checked to be a file
 * inside the deck folder once symbolic links are followed: the server serves only that folder.
 * Returns its real path and its URL under /deck/. `what` names it in the error.
 */
export async function deckFile(dir: string, given: string, what: string): Promise<{ path: string; url: string }> {
  const rel = given.trim().replace(/^(?:\.\/)+/, '');
  if (rel === '' || isAbsolute(rel) || /^[a-z][a-z0-9+.-]*:/i.test(rel)) {
    throw new DeckError(`${what} "${given}" must be a file path relative to the deck folder`);
  }
  let real: string;
  let root: string;
  try {
    root = await realpath(dir);
    real = await realpath(resolve(dir, rel));
  } catch (err) {
    throw new DeckError(`${what} "${given}" not found beside the deck: ${reason(err)}`);
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new DeckError(`${what} "${given}" is outside the deck folder ${dir}`);
  }
  if (!(await stat(real)).isFile()) throw new DeckError(`${what} "${given}" is not a file`);
  return { path: real, url: DECK_URL_PREFIX + inside.split(sep).map(encodeURIComponent).join('/') };
}

/** A deck URL for a style sheet or script: outside URLs kept as they are, files checked beside the deck. */
export async function deckAssetUrl(dir: string, given: string, what: string): Promise<string> {
  return isOutsideUrl(given) ? given.trim() : (await deckFile(dir, given, what)).url;
}

export async function readDeckText(dir: string, given: string, what: string): Promise<string> {
  const { path } = await deckFile(dir, given, what);
  try {
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    throw new DeckError(`Cannot read ${what} "${given}": ${reason(err)}`);
  }
}
