import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';

/**
 * Files beside the deck that slides may use. Deck sources (.md, .html) are not served:
 * they contain the speaker notes.
 */
export const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.css': 'text/css; charset=utf-8',
  // The deck's own scripts (`--scripts`, front matter `scripts`): the author is trusted.
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

/** An open deck file, ready to stream. The receiver closes `handle`. */
export interface DeckFile {
  handle: FileHandle;
  size: number;
  mtime: Date;
  contentType: string;
}

export interface DeckFolder {
  /** The deck's folder. */
  root: string;
  /** The data directory (database, secrets.json): never served, even when it sits inside the deck folder. */
  dataDir: string | null;
}

/** Path segments that are never served: hidden files and folders (.git, .env, .livedeck) and `..`. */
function hasHiddenSegment(path: string): boolean {
  return path.split(/[\\/]/).some((part) => part.startsWith('.'));
}

/** True when `path` is `dir` itself or inside it (both real, absolute paths). */
function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    // Missing or unreadable: nothing there to serve (or, for the data dir, nothing to hide).
    return null;
  }
}

/** The real paths of a deck folder and its data directory, once both exist. */
const realFolders = new WeakMap<DeckFolder, { root: string; dataDir: string | null }>();

/**
 * The folders do not move during a talk, so their real paths are read once, not on every request
 * a room of phones makes for a picture; a folder not there yet is looked up again next time.
 */
async function realFolder(folder: DeckFolder): Promise<{ root: string | null; dataDir: string | null }> {
  const known = realFolders.get(folder);
  if (known) return known;
  const root = await realOrNull(resolve(folder.root));
  const dataDir = folder.dataDir === null ? null : await realOrNull(resolve(folder.dataDir));
  if (root && (folder.dataDir === null || dataDir)) realFolders.set(folder, { root, dataDir });
  return { root, dataDir };
}

/**
 * Opens the deck file that a request path (already URL-decoded by the router, after `/deck/`)
 * names, or returns null when it must not be served: outside the deck folder by name or, through
 * symlinks, by its real path; inside the data directory; hidden; not media; not a regular file;
 * missing. Decks travel as git repositories and zips, which keep symlinks, so the name alone
 * proves nothing: the real path is checked, and the real path is what gets opened.
 */
export async function openDeckFile(folder: DeckFolder, requested: string): Promise<DeckFile | null> {
  let name: string;
  try {
    // The router decodes once but leaves reserved characters such as %2F encoded.
    name = decodeURIComponent(requested);
  } catch {
    return null;
  }
  if (name === '' || name.includes('\0') || hasHiddenSegment(name)) return null;
  const { root, dataDir } = await realFolder(folder);
  if (!root) return null;
  const named = resolve(root, name);
  if (named === root || !within(root, named)) return null;

  const real = await realOrNull(named);
  if (!real || real === root || !within(root, real) || hasHiddenSegment(relative(root, real))) return null;
  if (dataDir && (within(dataDir, real) || within(dataDir, root))) return null;
  // Both names must be media: a link `a.png -> talk.md` would otherwise serve the speaker notes.
  const contentType = MEDIA_TYPES[extname(named).toLowerCase()];
  if (!contentType || MEDIA_TYPES[extname(real).toLowerCase()] === undefined) return null;

  let handle: FileHandle;
  try {
    // Non-blocking, so a named pipe in the deck folder cannot hold a thread waiting for a writer;
    // it is then refused as not a regular file. Regular files read the same either way.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return null;
    }
    return { handle, size: info.size, mtime: info.mtime, contentType };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
