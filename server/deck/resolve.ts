import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { DeckError } from './errors.ts';

export type DeckKind = 'markdown' | 'html';

export interface DeckFile {
  /** Absolute path of the deck file. */
  file: string;
  /** The path as the user gave it (plus the file name when they gave a folder), for messages. */
  display: string;
  kind: DeckKind;
}

const KINDS: Record<string, DeckKind> = { '.md': 'markdown', '.markdown': 'markdown', '.html': 'html', '.htm': 'html' };

/** In a folder, these win over any other deck file, in this order. */
export const PREFERRED_NAMES = ['index.md', 'index.markdown', 'slides.md', 'slides.markdown', 'index.html', 'index.htm'];

export function deckKind(file: string): DeckKind | undefined {
  return KINDS[extname(file).toLowerCase()];
}

/**
 * Turns what the user typed into one deck file. A folder resolves to its index.md,
 * slides.md or index.html, else to its only markdown file, else to its only HTML file.
 */
export async function resolveDeckFile(given: string): Promise<DeckFile> {
  const full = resolve(given);
  const info = await statOrNull(full, given);
  if (!info) throw new DeckError(`Deck not found: ${given}`);
  if (info.isDirectory()) return pickFromFolder(full, given);
  if (!info.isFile()) throw new DeckError(`Not a deck file: ${given}`);
  const kind = deckKind(full);
  if (!kind) throw new DeckError(`Unsupported deck file ${given}: expected .md, .markdown, .html or .htm`);
  return { file: full, display: given, kind };
}

async function pickFromFolder(dir: string, given: string): Promise<DeckFile> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && deckKind(e.name)).map((e) => e.name).sort();
  } catch (err) {
    throw new DeckError(`Cannot read folder ${given}: ${reason(err)}`);
  }
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const preferred = PREFERRED_NAMES.map((n) => lower.get(n)).find((n) => n !== undefined);
  const markdown = names.filter((n) => deckKind(n) === 'markdown');
  const html = names.filter((n) => deckKind(n) === 'html');
  const chosen = preferred ?? (markdown.length === 1 ? markdown[0] : markdown.length === 0 && html.length === 1 ? html[0] : undefined);
  if (chosen) {
    return { file: join(dir, chosen), display: join(given, chosen), kind: deckKind(chosen) ?? 'markdown' };
  }
  if (names.length === 0) throw new DeckError(`No deck in folder ${given}: expected a .md or .html file`);
  const several = markdown.length > 0 ? markdown : html;
  throw new DeckError(
    `Several decks in folder ${given} (${several.join(', ')}): name one, e.g. ${join(given, several[0] ?? basename(dir))}, or rename it index.md`,
  );
}

async function statOrNull(full: string, given: string) {
  try {
    return await stat(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new DeckError(`Cannot open deck ${given}: ${reason(err)}`);
  }
}

/** A short, human reason for a file system error. */
export function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return err instanceof Error ? err.message.split('\n')[0] ?? 'unknown error' : String(err);
  }
}
