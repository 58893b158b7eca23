import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile, Plugin } from 'esbuild';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface Asset {
  body: Buffer;
  /**
   * The body gzipped (level 9), made on the first call and kept: compressing every bundle and
   * chunk at start cost about a second, mostly for chunks a deck never serves.
   */
  gzip: () => Buffer;
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
  /** `audience-sw.js`: the audience page's service worker (client/phone/service-worker.ts). */
  serviceWorker: Asset;
}

/** Where `npm run build` writes the browser bundles, for the package (scripts/build.ts). */
export const BUILT_ASSETS_DIR = join(PACKAGE_ROOT, 'dist', 'assets');

/** Beside the built files: what cannot be read off the files themselves (preloads, plugin chunks). */
const MANIFEST = 'manifest.json';

/** The name of the LiveDeck plugin among the built files; served at /livedeck.js, not under /assets/. */
const PLUGIN_FILE = 'livedeck.js';
/** The audience page's service worker among the built files; served at /audience-sw.js. */
const SERVICE_WORKER_FILE = 'audience-sw.js';

/**
 * Compiled JavaScript runs only from the built package, whose browser bundles were built with
 * it; the TypeScript sources (a checkout, tests) bundle in memory instead, so a checkout never
 * serves bundles older than its code.
 */
const RUNNING_BUILT = !import.meta.url.endsWith('.ts');

/** The built browser files by name, and the manifest that goes with them. */
export interface BrowserFiles {
  files: Map<string, Buffer>;
  manifest: { preloads: Record<string, string[]>; pluginChunks: Record<string, string> };
}

/** The browser entry points, one per page. */
export const PAGES = ['audience', 'presenter', 'screen', 'moderator', 'report', 'remote'] as const;
export type Page = (typeof PAGES)[number];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function toAsset(body: Buffer, contentType: string): Asset {
  // A function, not a getter: spreading an asset ({ ...toAsset(…) }) would run a getter at once.
  let gzipped: Buffer | null = null;
  return {
    body,
    gzip: () => (gzipped ??= gzipSync(body, { level: 9 })),
    contentType,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
  };
}

let cached: Promise<Bundles> | null = null;

/**
 * The browser bundles, once per process: read from dist/assets in the built package, else
 * bundled in memory with esbuild (a second or two; nothing written to disk).
 */
export function bundleAssets(): Promise<Bundles> {
  cached ??= (RUNNING_BUILT ? readBrowserFiles() : buildBrowserFiles()).then(toBundles);
  return cached;
}

/** Bundles the browser code with esbuild: the page bundles, their chunks and the LiveDeck plugin. */
export async function buildBrowserFiles(): Promise<BrowserFiles> {
  // Loaded only here: the built package serves pre-built files and does not ship esbuild.
  const { stop } = await import('esbuild');
  try {
    const [pages, plugin, worker] = await Promise.all([
      buildPages(),
      buildScript('client/livedeck/plugin.ts', PLUGIN_FILE),
      buildScript('client/phone/service-worker.ts', SERVICE_WORKER_FILE),
    ]);
    pages.files.set(PLUGIN_FILE, plugin);
    pages.files.set(SERVICE_WORKER_FILE, worker);
    return pages;
  } finally {
    // Nothing is bundled again in this process, and an idle esbuild service is a child process
    // that keeps its memory and pings this one through a pipe for as long as the talk runs.
    await stop();
  }
}

export async function writeBrowserFiles(browser: BrowserFiles): Promise<void> {
  await Promise.all([
    ...[...browser.files].map(([name, body]) => writeFile(join(BUILT_ASSETS_DIR, name), body)),
    writeFile(join(BUILT_ASSETS_DIR, MANIFEST), JSON.stringify(browser.manifest)),
  ]);
}

async function readBrowserFiles(): Promise<BrowserFiles> {
  const names = (await readdir(BUILT_ASSETS_DIR)).filter((name) => name !== MANIFEST);
  const files = new Map(await Promise.all(names.map(async (name): Promise<[string, Buffer]> => [name, await readFile(join(BUILT_ASSETS_DIR, name))])));
  const manifest = JSON.parse(await readFile(join(BUILT_ASSETS_DIR, MANIFEST), 'utf8')) as BrowserFiles['manifest'];
  return { files, manifest };
}

function toBundles({ files, manifest }: BrowserFiles): Bundles {
  const assets = new Map<string, Asset>();
  let plugin: Asset | null = null;
  let serviceWorker: Asset | null = null;
  for (const [name, body] of files) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (!type) continue;
    if (name === PLUGIN_FILE) plugin = toAsset(body, type);
    else if (name === SERVICE_WORKER_FILE) serviceWorker = toAsset(body, type);
    else assets.set(name, toAsset(body, type));
  }
  if (!plugin) throw new Error(`The browser bundles lack ${PLUGIN_FILE}`);
  if (!serviceWorker) throw new Error(`The browser bundles lack ${SERVICE_WORKER_FILE}`);
  return {
    assets,
    preloads: new Map(Object.entries(manifest.preloads)),
    pluginChunks: new Map(Object.entries(manifest.pluginChunks)),
    plugin,
    serviceWorker,
  };
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

/**
 * One build per page: splitting across pages would also cut their shared code (reveal.js, the
 * connection) into chunks, and a phone on a slow venue network pays for every extra request
 * (six connections per host, 300 ms round trips). Within a page, splitting only separates what
 * is imported dynamically: reveal.js's plugins (highlight.js alone is 1 MB), each a chunk that a
 * phone never downloads for a deck without code.
 */
async function buildPages(): Promise<BrowserFiles> {
  const { build } = await import('esbuild');
  const results = await Promise.all(
    PAGES.map((page) =>
      build({
        absWorkingDir: PACKAGE_ROOT,
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
  const files = new Map<string, Buffer>();
  const preloads: Record<string, string[]> = {};
  const pluginChunks: Record<string, string> = {};
  for (const result of results) {
    // Chunk names carry a hash of their content, so a chunk two pages both produce is one file.
    for (const file of result.outputFiles) {
      const name = baseName(file.path);
      if (!files.has(name)) files.set(name, Buffer.from(file.contents));
    }
    for (const [entry, imports] of staticImports(result.metafile)) preloads[entry] = imports;
    for (const [path, output] of Object.entries(result.metafile.outputs)) {
      const plugin = /reveal\.js\/dist\/plugin\/(\w+)\.mjs$/.exec(output.entryPoint ?? '')?.[1];
      if (plugin && path.endsWith('.js')) pluginChunks[plugin] = baseName(path);
    }
  }
  return { files, manifest: { preloads, pluginChunks } };
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

/** One self-contained classic script (the LiveDeck plugin, the service worker), served at a fixed URL. */
async function buildScript(entry: string, name: string): Promise<Buffer> {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: ['es2020'],
    minify: true,
    write: false,
    outfile: `out/${name}`,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error(`esbuild produced no ${name}`);
  return Buffer.from(js.contents);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
