import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeckError } from './errors.ts';
import { reason } from './resolve.ts';

/** What the author set for the deck, merged from front matter, reveal-md.json, reveal.json and the command line. */
export interface DeckSettings {
  title?: string;
  theme?: string;
  highlightTheme?: string;
  separator?: string;
  verticalSeparator?: string;
  notesSeparator?: string;
  /** Extra style sheets and scripts as written (paths beside the deck or absolute URLs), in order. */
  css: string[];
  scripts: string[];
  /** reveal.js options. */
  options: Record<string, unknown>;
}

/** The two files reveal-md reads beside the deck. */
export interface ConfigFiles {
  /** reveal.json: reveal.js options. */
  reveal: Record<string, unknown>;
  /** reveal-md.json: reveal-md options (theme, separator, css, revealOptions, …). */
  revealMd: Record<string, unknown>;
}

/** Extra files from the command line (`--css`, `--scripts`). */
export interface CliAssets {
  css?: readonly string[];
  scripts?: readonly string[];
  /** `--duration`, in seconds: wins over the deck's own. */
  duration?: number;
}

/** A plain mapping (a JSON or YAML object), not an array or null. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readJson(dir: string, name: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DeckError(`Cannot read ${name} beside the deck: ${reason(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DeckError(`${name} beside the deck is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(data)) throw new DeckError(`${name} beside the deck must hold a JSON object`);
  return data;
}

export async function readConfigFiles(dir: string): Promise<ConfigFiles> {
  const [reveal, revealMd] = await Promise.all([readJson(dir, 'reveal.json'), readJson(dir, 'reveal-md.json')]);
  return { reveal, revealMd };
}

function text(where: string, key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new DeckError(`"${key}" in ${where} must be text`);
}

/** reveal-md takes `css` and `scripts` as a list or as one comma-separated string. */
function list(where: string, key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (!items || items.some((i) => typeof i !== 'string')) throw new DeckError(`"${key}" in ${where} must be a file name or a list of them`);
  return (items as string[]).map((i) => i.trim()).filter((i) => i !== '');
}

function options(where: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new DeckError(`"revealOptions" in ${where} must be a mapping of reveal.js options`);
  return value;
}

/**
 * Merges as reveal-md does (lib/config.js, lib/render.js): front matter wins over
 * reveal-md.json; reveal.js options are reveal.json, then reveal-md.json's revealOptions, then
 * the front matter's revealOptions on top. Style sheets and scripts from the command line come
 * first, then the deck's own.
 */
export function mergeSettings(frontMatter: Record<string, unknown>, files: ConfigFiles, cli: CliAssets, display: string): DeckSettings {
  const fm = `the front matter of ${display}`;
  const md = 'reveal-md.json';
  const pick = (key: string): string | undefined => text(fm, key, frontMatter[key]) ?? text(md, key, files.revealMd[key]);
  const settings: DeckSettings = {
    css: [...(cli.css ?? []), ...(list(fm, 'css', frontMatter.css) ?? list(md, 'css', files.revealMd.css) ?? [])],
    scripts: [...(cli.scripts ?? []), ...(list(fm, 'scripts', frontMatter.scripts) ?? list(md, 'scripts', files.revealMd.scripts) ?? [])],
    options: { ...files.reveal, ...options(md, files.revealMd.revealOptions), ...options(fm, frontMatter.revealOptions) },
  };
  for (const key of ['title', 'theme', 'highlightTheme', 'separator', 'verticalSeparator', 'notesSeparator'] as const) {
    const value = pick(key);
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}
