/**
 * The deck's files for every node of a cluster (design study §2.12). Two ways:
 * - bundled: the presenter's node stores the files in Redis (`ld:{T}:deck`, HASH path → bytes,
 *   plus the manifest under the field `.manifest`); other nodes fetch them into a cache folder;
 * - the same folder on every node (`--deck-dir`): only the manifest is in Redis, and each node
 *   checks its own folder against it, naming the first file that differs.
 *
 * The cap on a bundle is 20 MiB by default (DEFAULT_BUNDLE_CAP_BYTES): Redis keeps the bundle in
 * memory next to the talk's log, and a node fetches it in one reply when it starts. A deck over the
 * cap (videos, say) is not bundled: only its manifest and hash are stored, and nodes need
 * `--deck-dir`.
 *
 * What is in the bundle is the deck folder as the deck loader and the /deck/ route see it: the
 * deck file, every other deck text (.md, .markdown, .html, .htm: external Markdown), and every file
 * the route could serve (MEDIA_TYPES, which covers reveal.json and reveal-md.json). Never: symbolic
 * links (the route checks real paths; a bundle would have to copy what they point at), hidden
 * files and folders (.git, .env, .livedeck), node_modules, the data directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { deckKind, resolveDeckFile } from '../deck/resolve.ts';
import { MEDIA_TYPES } from '../http/deck-files.ts';
import type { RedisClient } from './redis.ts';

/** 20 MiB: see the module comment. */
export const DEFAULT_BUNDLE_CAP_BYTES = 20 * 1024 * 1024;
/** A deck folder with more files than this is refused: likely a home folder, not a deck. */
export const MAX_BUNDLE_FILES = 10_000;
const MAX_DEPTH = 16;
/** Bytes per HSET while storing, so no single command runs long on a slow link. */
const WRITE_CHUNK_BYTES = 1024 * 1024;
/** A half-written bundle (the writer died) disappears by itself. */
const PARTIAL_TTL_SECONDS = 600;

/** Dotfiles are never bundled, so this field cannot collide with a file. */
export const MANIFEST_FIELD = '.manifest';

export const deckKey = (code: string): string => `ld:{${code}}:deck`;

export interface DeckManifest {
  version: 1;
  /** The deck file, relative to the folder, '/'-separated. */
  source: string;
  /** Relative path → SHA-256 (hex), paths sorted. */
  files: Record<string, string>;
  /** Total size of the files. */
  bytes: number;
  /** SHA-256 over source and files: the deck hash the talk record carries. */
  hash: string;
  /** Whether the files themselves are in Redis. */
  bundled: boolean;
}

export interface BundleOptions {
  capBytes?: number;
  /** The node's data directory: never bundled, even inside the deck folder. */
  dataDir?: string | null;
}

export interface StoreOptions extends BundleOptions {
  /**
   * The deck hash the talk was registered with: if a file changed since, nothing is stored and a
   * DeckBundleError says so (the record and the bundle must name the same deck).
   */
  expectHash?: string;
}

export interface StoredBundle {
  manifest: DeckManifest;
  bundled: boolean;
  bytes: number;
}

export interface FolderDifference {
  path: string;
  problem: 'missing' | 'changed' | 'extra';
  message: string;
}

/** A deck that cannot be bundled, fetched or checked; the message says which file and why. */
export class DeckBundleError extends Error {}

function wantedFile(name: string): boolean {
  const ext = extname(name).toLowerCase();
  return deckKind(name) !== undefined || MEDIA_TYPES[ext] !== undefined;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function deckHash(source: string, files: Record<string, string>): string {
  // JSON of [source, [[path, sha], …]]: unambiguous even for names with newlines.
  return createHash('sha256').update(JSON.stringify([source, Object.entries(files)])).digest('hex');
}

function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Relative '/' path → absolute path of every file that belongs in the bundle, deck file included. */
async function collectFiles(folder: string, source: string, dataDir: string | null): Promise<Map<string, string>> {
  const root = await realpath(folder);
  const skipDir = dataDir === null ? null : await realpath(resolve(dataDir)).catch(() => null);
  const found = new Map<string, string>([[source, join(folder, source)]]);
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new DeckBundleError(`Cannot read deck folder ${dir}: ${(err as Error).message}`);
    }
    for (const entry of entries) {
      const name = entry.name;
      // A backslash would read as a separator on a Windows node; the /deck/ route never serves one either way.
      if (name.startsWith('.') || name === 'node_modules' || name.includes('\\')) continue;
      const path = join(dir, name);
      const rel = prefix + name;
      // The data dir holds secrets.json (raw keys): never bundled, even when it is the deck folder itself.
      if (skipDir !== null && within(skipDir, path)) continue;
      if (entry.isDirectory()) {
        await walk(path, rel + '/', depth + 1);
      } else if (entry.isFile() && wantedFile(name)) {
        found.set(rel, path);
        if (found.size > MAX_BUNDLE_FILES) {
          throw new DeckBundleError(`Deck folder ${folder} has more than ${MAX_BUNDLE_FILES} files a deck could use; put the deck in a folder of its own`);
        }
      }
    }
  };
  await walk(root, '', 0);
  return found;
}

/** The manifest of a deck (a deck file, or a folder the deck loader would resolve). */
export async function deckManifest(deck: string, options: BundleOptions = {}): Promise<{ manifest: DeckManifest; folder: string; paths: Map<string, string> }> {
  const { file } = await resolveDeckFile(deck);
  const folder = dirname(file);
  const source = basename(file);
  const paths = await collectFiles(folder, source, options.dataDir ?? null);
  const sorted = [...paths.keys()].sort();
  const files: Record<string, string> = {};
  let bytes = 0;
  for (const rel of sorted) {
    const path = paths.get(rel)!;
    files[rel] = await sha256File(path);
    bytes += (await stat(path)).size;
  }
  const cap = options.capBytes ?? DEFAULT_BUNDLE_CAP_BYTES;
  return { manifest: { version: 1, source, files, bytes, hash: deckHash(source, files), bundled: bytes <= cap }, folder, paths };
}

/**
 * Stores the deck for the talk: files and manifest when the deck is within the cap, else the
 * manifest alone. Written under a temporary key and renamed into place, so a node fetching at
 * the same time sees the old bundle or the new one, never half of one.
 */
export async function storeBundle(redis: RedisClient, code: string, deck: string, options: StoreOptions = {}): Promise<StoredBundle> {
  const { manifest, paths } = await deckManifest(deck, options);
  if (options.expectHash !== undefined && manifest.hash !== options.expectHash) {
    throw new DeckBundleError(`The deck at ${deck} changed after talk ${code} was registered; start again`);
  }
  const key = deckKey(code);
  const partial = `${key}:partial:${randomBytes(6).toString('hex')}`;
  await redis.del(partial);
  await redis.hset(partial, MANIFEST_FIELD, JSON.stringify(manifest));
  await redis.expire(partial, PARTIAL_TTL_SECONDS);
  try {
    if (manifest.bundled) {
      let batch: (string | Buffer)[] = [];
      let batchBytes = 0;
      for (const [rel, sum] of Object.entries(manifest.files)) {
        const data = await readFile(paths.get(rel)!);
        if (sha256(data) !== sum) throw new DeckBundleError(`Deck file ${rel} changed while the deck was being bundled; start again`);
        batch.push(rel, data);
        batchBytes += data.length;
        if (batchBytes >= WRITE_CHUNK_BYTES) {
          await redis.hset(partial, ...batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await redis.hset(partial, ...batch);
    }
    // RENAME keeps the partial key's expiry; PERSIST in the same transaction drops it.
    await redis.multi().rename(partial, key).persist(key).exec();
  } catch (err) {
    await redis.del(partial).catch(() => 0); // the expiry removes it anyway; the first error is the one to report
    throw err;
  }
  return { manifest, bundled: manifest.bundled, bytes: manifest.bytes };
}

function parseManifest(code: string, text: string | Buffer | undefined | null): DeckManifest | null {
  if (text === undefined || text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.toString());
  } catch {
    throw new DeckBundleError(`The deck manifest of talk ${code} in Redis is not JSON`);
  }
  const m = value as Partial<DeckManifest> | null;
  const ok =
    m !== null && typeof m === 'object' && m.version === 1 && typeof m.source === 'string' && typeof m.hash === 'string' &&
    typeof m.bytes === 'number' && typeof m.bundled === 'boolean' && m.files !== null && typeof m.files === 'object' &&
    Object.values(m.files).every((v) => typeof v === 'string') && typeof m.files[m.source] === 'string';
  if (!ok) throw new DeckBundleError(`The deck manifest of talk ${code} in Redis is not one this version reads`);
  return m as DeckManifest;
}

/** The stored manifest (bundled or not), or null when the talk has none. */
export async function readManifest(redis: RedisClient, code: string): Promise<DeckManifest | null> {
  return parseManifest(code, await redis.hget(deckKey(code), MANIFEST_FIELD));
}

/** A path from Redis, written under the cache folder only if it cannot leave it or hide in it. */
function safePath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/')) return false;
  return path.split('/').every((part) => part !== '' && !part.startsWith('.'));
}

/**
 * Writes the talk's bundled deck under `cacheDir` (one folder per deck hash) and returns the deck
 * file's path there. Every file is checked against the manifest's hash, and every path must stay
 * inside the folder; a deck already fetched and intact is reused. With `expectHash` (the talk
 * record's deck hash), a bundle of another deck is refused.
 */
export async function fetchBundle(redis: RedisClient, code: string, cacheDir: string, expectHash?: string): Promise<string> {
  const current = await readManifest(redis, code);
  if (current?.bundled && safePath(current.source) && (expectHash === undefined || current.hash === expectHash)) {
    const cached = resolve(cacheDir, `${code}-${current.hash.slice(0, 16)}`);
    if ((await folderDifference(cached, current)) === null) return join(cached, current.source);
  }
  // One HGETALL: manifest and files from the same bundle even if it is replaced meanwhile.
  const stored = await redis.hgetallBuffer(deckKey(code));
  const manifest = parseManifest(code, stored[MANIFEST_FIELD]);
  if (!manifest) throw new DeckBundleError(`Talk ${code} has no deck in Redis; register it first with: livedeck <deck> --redis <url>`);
  if (!manifest.bundled) {
    throw new DeckBundleError(
      `The deck of talk ${code} is ${manifest.bytes} bytes, over the bundle cap, so it is not in Redis; start this node with --deck-dir <the same deck folder>`,
    );
  }
  for (const path of Object.keys(manifest.files)) {
    if (!safePath(path)) throw new DeckBundleError(`The deck of talk ${code} names a file outside its folder: ${JSON.stringify(path)}`);
    const data = stored[path];
    if (!data) throw new DeckBundleError(`The deck of talk ${code} in Redis lacks ${path}`);
    if (sha256(data) !== manifest.files[path]) throw new DeckBundleError(`The deck of talk ${code} in Redis has a damaged ${path} (hash differs)`);
  }
  if (deckHash(manifest.source, manifest.files) !== manifest.hash) throw new DeckBundleError(`The deck manifest of talk ${code} does not match its hash`);
  if (expectHash !== undefined && manifest.hash !== expectHash) {
    throw new DeckBundleError(`The deck of talk ${code} in Redis is not the one it was registered with; register it again with: livedeck <deck> --redis <url>`);
  }

  const target = resolve(cacheDir, `${code}-${manifest.hash.slice(0, 16)}`);
  if ((await folderDifference(target, manifest)) === null) return join(target, manifest.source);
  const partial = `${target}.partial-${randomBytes(6).toString('hex')}`;
  try {
    for (const path of Object.keys(manifest.files)) {
      const file = join(partial, ...path.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, stored[path]!);
    }
    await rm(target, { recursive: true, force: true });
    try {
      await rename(partial, target);
    } catch (err) {
      // Another process sharing the cache folder put the same deck there first: use theirs if intact.
      if ((await folderDifference(target, manifest)) !== null) throw err;
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return join(target, manifest.source);
}

async function folderDifference(folder: string, manifest: DeckManifest, options: BundleOptions = {}): Promise<FolderDifference | null> {
  const sourcePath = join(folder, ...manifest.source.split('/'));
  const present = await stat(sourcePath).then((s) => s.isFile(), () => false);
  if (!present) return { path: manifest.source, problem: 'missing', message: `${manifest.source} is missing from ${folder}` };
  const local = await deckManifest(sourcePath, options);
  const paths = [...new Set([...Object.keys(manifest.files), ...Object.keys(local.manifest.files)])].sort();
  for (const path of paths) {
    const want = manifest.files[path];
    const have = local.manifest.files[path];
    if (want === have) continue;
    if (have === undefined) return { path, problem: 'missing', message: `${path} is missing from ${folder}` };
    if (want === undefined) return { path, problem: 'extra', message: `${path} in ${folder} is not part of the registered deck` };
    return { path, problem: 'changed', message: `${path} in ${folder} differs from the registered deck` };
  }
  return null;
}

/**
 * For `--deck-dir`: null when the folder holds exactly the registered deck, else the first file
 * (in path order) that is missing, changed, or not part of it.
 */
export async function verifyFolder(folder: string, manifest: DeckManifest, options: BundleOptions = {}): Promise<FolderDifference | null> {
  return folderDifference(resolve(folder), manifest, options);
}
