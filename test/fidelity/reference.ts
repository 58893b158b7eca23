/**
 * The reference renderer: the same deck shown by plain reveal.js, as a speaker would open it
 * without livedeck. HTML decks are served as themselves (files beside the deck win, everything
 * else — `dist/reveal.js`, `dist/theme/…`, `dist/plugin/…` — comes from node_modules/reveal.js, as
 * if the deck sat in a reveal.js checkout; a 4/5 checkout's plugin paths are mapped to 6's). Markdown decks are rendered by reveal-md, the tool
 * reveal-md-style decks are written for (it bundles its own reveal.js 5.x).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REVEAL_DIR = path.join(ROOT, 'node_modules/reveal.js');
const REVEAL_MD_CLI = path.join(ROOT, 'node_modules/reveal-md/bin/reveal-md.js');

export interface Reference {
  /** The page that shows the deck. */
  url: string;
  /** Which renderer: 'reveal.js' (HTML as itself) or 'reveal-md'. */
  renderer: 'reveal.js' | 'reveal-md';
  close(): Promise<void>;
}

export interface ReferenceOptions {
  /** Extra reveal-md flags (e.g. `--css`, `--scripts`), for Markdown decks. */
  revealMdArgs?: readonly string[];
}

export function isMarkdownDeck(deckPath: string): boolean {
  return /\.(md|markdown)$/i.test(deckPath);
}

export function startReference(deckPath: string, options: ReferenceOptions = {}): Promise<Reference> {
  return isMarkdownDeck(deckPath) ? startRevealMd(deckPath, options.revealMdArgs ?? []) : startStatic(deckPath);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.mp4': 'video/mp4',
};

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw err;
  }
}

/** A file under `root` for a URL path, or null when the path leaves root or names no file. */
async function resolveUnder(root: string, urlPath: string): Promise<string | null> {
  const file = path.resolve(root, '.' + urlPath);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return (await isFile(file)) ? file : null;
}

/**
 * Decks written in a reveal.js 4/5 checkout load `plugin/<name>/<name>.js` and
 * `plugin/highlight/<style>.css`; reveal.js 6 keeps them in `dist/plugin/`.
 */
function revealFiveLayout(urlPath: string): string {
  const plugin = /^\/plugin\/(\w+)\/\1\.js$/.exec(urlPath);
  if (plugin) return `/dist/plugin/${plugin[1]}.js`;
  const style = /^\/plugin\/highlight\/([\w-]+\.css)$/.exec(urlPath);
  return style ? `/dist/plugin/highlight/${style[1]}` : urlPath;
}

async function startStatic(deckPath: string): Promise<Reference> {
  const deckDir = path.dirname(path.resolve(deckPath));
  const server: Server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    void (async () => {
      const file =
        (await resolveUnder(deckDir, urlPath)) ?? (await resolveUnder(REVEAL_DIR, urlPath)) ?? (await resolveUnder(REVEAL_DIR, revealFiveLayout(urlPath)));
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${encodeURIComponent(path.basename(deckPath))}`,
    renderer: 'reveal.js',
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startRevealMd(deckPath: string, extraArgs: readonly string[]): Promise<Reference> {
  const port = await freePort();
  const file = path.resolve(deckPath);
  // reveal-md reads reveal.json / reveal-md.json from the folder it runs in: the deck's own.
  const child: ChildProcess = spawn(
    process.execPath,
    [REVEAL_MD_CLI, path.basename(file), '--port', String(port), '--host', '127.0.0.1', '--disable-auto-open', ...extraArgs],
    { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}/${encodeURIComponent(path.basename(file))}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`reveal-md exited (${child.exitCode}): ${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // Not listening yet: reveal-md takes a moment to start.
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`reveal-md did not serve ${url} within 20 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    renderer: 'reveal-md',
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
