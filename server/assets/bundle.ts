import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, stop, type Metafile, type Plugin } from 'esbuild';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  /** Short content hash, put in URLs so assets can be cached forever. */
  hash: string;
}

export type Assets = ReadonlyMap<string, Asset>;

/** Everything the browser code is built into. */
export interface Bundles {
  /** Page bundles, their stylesheets and the chunks they share or load on demand, by file name. */
  assets: Assets;
  /**
   * Per page script, the chunks it imports statically: the page shell preloads them, so a phone
   * on a slow network fetches them in parallel with the page script instead of one round trip later.
   */
  preloads: ReadonlyMap<string, readonly string[]>;
  /** The chunk of each reveal.js plugin, so a deck that uses one can have it fetched early. */
  pluginChunks: ReadonlyMap<string, string>;
  /** `livedeck.js`: the reveal.js plugin for decks hosted elsewhere (an IIFE defining window.LiveDeck). */
  plugin: Asset;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The browser entry points, one per page. */
export const PAGES = ['audience', 'presenter', 'screen', 'moderator'] as const;
export type Page = (typeof PAGES)[number];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function toAsset(body: Buffer, contentType: string): Asset {
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    contentType,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
  };
}

let cached: Promise<Bundles> | null = null;

/**
 * Bundles the browser code in memory with esbuild, once per process: nothing is written to
 * disk, so a checkout can never serve stale bundles. Takes a few hundred milliseconds.
 */
export function bundleAssets(): Promise<Bundles> {
  cached ??= buildAll();
  return cached;
}

/**
 * reveal.js 6.0.2's math plugin ends with `n = Plugin = Object.assign(…)`, an assignment to an
 * undeclared global that throws in an ES module (strict mode), so the file cannot be imported as
 * shipped. The assignment is dropped at build time; a release without it is used as it is.
 */
const MATH_FIX = 'n = Plugin = Object.assign(';
const revealMathFix: Plugin = {
  name: 'reveal-math-fix',
  setup(b) {
    b.onLoad({ filter: /reveal\.js[\\/]dist[\\/]plugin[\\/]math\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(MATH_FIX)) return { contents: source, loader: 'js' };
      return { contents: source.replace(MATH_FIX, 'n = Object.assign('), loader: 'js' };
    });
  },
};

async function buildAll(): Promise<Bundles> {
  try {
    const [pages, plugin] = await Promise.all([buildPages(), buildPlugin()]);
    return { ...pages, plugin };
  } finally {
    // Nothing is bundled again in this process, and an idle esbuild service is a child process
    // that keeps its memory and pings this one through a pipe for as long as the talk runs.
    await stop();
  }
}

/**
 * One build per page: splitting across pages would also cut their shared code (reveal.js, the
 * connection) into chunks, and a phone on a slow venue network pays for every extra request
 * (six connections per host, 300 ms round trips). Within a page, splitting only separates what
 * is imported dynamically: reveal.js's plugins (highlight.js alone is 1 MB), each a chunk that a
 * phone never downloads for a deck without code.
 */
async function buildPages(): Promise<Omit<Bundles, 'plugin'>> {
  const results = await Promise.all(
    PAGES.map((page) =>
      build({
        absWorkingDir: ROOT,
        entryPoints: { [page]: `${page}/main.ts` },
        bundle: true,
        format: 'esm',
        splitting: true,
        chunkNames: '[name]-[hash]',
        target: ['es2022'],
        minify: true,
        sourcemap: false,
        write: false,
        outdir: 'out',
        legalComments: 'none',
        logLevel: 'silent',
        metafile: true,
        plugins: [revealMathFix],
      }),
    ),
  );
  const assets = new Map<string, Asset>();
  const preloads = new Map<string, string[]>();
  const pluginChunks = new Map<string, string>();
  for (const result of results) {
    // Chunk names carry a hash of their content, so a chunk two pages both produce is one asset.
    for (const file of result.outputFiles) {
      const name = baseName(file.path);
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type && !assets.has(name)) assets.set(name, toAsset(Buffer.from(file.contents), type));
    }
    for (const [entry, imports] of staticImports(result.metafile)) preloads.set(entry, imports);
    for (const [path, output] of Object.entries(result.metafile.outputs)) {
      const plugin = /reveal\.js\/dist\/plugin\/(\w+)\.mjs$/.exec(output.entryPoint ?? '')?.[1];
      if (plugin && path.endsWith('.js')) pluginChunks.set(plugin, baseName(path));
    }
  }
  return { assets, preloads, pluginChunks };
}

function staticImports(meta: Metafile): Map<string, string[]> {
  const preloads = new Map<string, string[]>();
  for (const [path, output] of Object.entries(meta.outputs)) {
    if (!output.entryPoint || !path.endsWith('.js')) continue;
    preloads.set(
      baseName(path),
      output.imports.filter((i) => i.kind === 'import-statement').map((i) => baseName(i.path)),
    );
  }
  return preloads;
}

async function buildPlugin(): Promise<Asset> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['client/livedeck/plugin.ts'],
    bundle: true,
    format: 'iife',
    target: ['es2020'],
    minify: true,
    write: false,
    outfile: 'out/livedeck.js',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no livedeck.js');
  return toAsset(Buffer.from(js.contents), TYPES['.js']!);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
