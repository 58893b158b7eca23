/**
 * `livedeck report <deck or data-dir> [--data-dir <dir>] [--code <code>] [--json]`: the report
 * of a stored talk, read from its SQLite file without starting a server.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TalkInfo } from '../../protocol/messages.ts';
import type { TalkReport } from '../../protocol/report.ts';
import { DeckError, loadDeck, type Deck } from '../deck/index.ts';
import { slideTitles } from '../deck/titles.ts';
import { deckFeature } from '../features/deck/index.ts';
import { qaFeature } from '../features/qa/index.ts';
import { feedbackFeature } from '../features/feedback.ts';
import { chatFeature } from '../features/chat/index.ts';
import { muteFeature } from '../features/mute/index.ts';
import { buildReport } from '../features/report/index.ts';
import { TalkHost } from '../talk/host.ts';
import { DATABASE_FILE, SqliteStore } from '../store/sqlite.ts';
import type { TalkRecord } from '../store/types.ts';
import { normalizeJoinCode } from '../talk/secrets.ts';
import { Talk } from '../talk/talk.ts';
import { DEFAULT_DATA_DIR, UsageError } from './args.ts';

export interface ReportCliOptions {
  /** A deck (file or folder) or a data directory. */
  target: string;
  /** Where to look for the deck's talk; only used when the target is a deck. */
  dataDir: string;
  code: string | undefined;
  json: boolean;
}

export const REPORT_USAGE = `Usage: livedeck report <deck or data-dir> [options]

Prints the report of a talk after it: time on each slide, the audience over
time, questions, reactions, pace and polls. Reads the stored talk; no server
is started, and it may run while one is.

  <deck>         the deck the talk was given with; its talk is looked up in
                 --data-dir (default ./.livedeck)
  <data-dir>     a data directory: its newest talk (or --code)
  --data-dir <dir>
                 where the deck's talk is kept (default ./.livedeck)
  --code <code>  which talk of the data directory
  --json         the report as JSON (the page's and the export's format)`;

export class ReportError extends Error {}

export function parseReportCli(argv: string[]): ReportCliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { 'data-dir': { type: 'string' }, code: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'Bad arguments.');
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(`livedeck report wants one deck or data directory, got ${positionals.length}.`);
  return { target: positionals[0]!, dataDir: values['data-dir'] || DEFAULT_DATA_DIR, code: values.code, json: values.json ?? false };
}

const hasDatabase = (dir: string) => existsSync(join(dir, DATABASE_FILE));
const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** Builds the report of the stored talk the options name. */
export async function storedReport(options: ReportCliOptions): Promise<TalkReport> {
  const target = resolve(options.target);
  const dataMode = isDirectory(target) && hasDatabase(target);
  const dataDir = dataMode ? target : resolve(options.dataDir);
  if (!dataMode && !existsSync(target)) throw new ReportError(`${options.target}: no such deck or data directory.`);
  if (!hasDatabase(dataDir)) throw new ReportError(`No livedeck data in ${dataDir} (no ${DATABASE_FILE}). Give the data directory, or --data-dir.`);
  // Loaded first: a deck that does not load is said before the database is opened.
  const givenDeck = dataMode ? null : await loadDeck(target);
  const store = new SqliteStore(dataDir);
  try {
    const record = pickTalk(store, givenDeck, options.code, dataDir);
    const deck = givenDeck ?? (await deckIfLoadable(record.deckSource));
    const talk = new Talk({
      code: record.code,
      presenterKeyHash: Buffer.from(record.presenterKeyHash, 'hex'),
      info: deck ? { title: deck.title, stacks: deck.stacks, fragments: deck.fragments } : infoFromLog(store, record),
      notes: {},
      store,
    });
    const host = new TalkHost(talk);
    await host.run([deckFeature(host), qaFeature(host), chatFeature(host), muteFeature(host), feedbackFeature(host, deck?.polls ?? [])], { serve: false });
    return buildReport(talk, { titles: deck ? slideTitles(deck.html) : {} });
  } finally {
    store.close();
  }
}

function pickTalk(store: SqliteStore, deck: Deck | null, code: string | undefined, dataDir: string): TalkRecord {
  const talks = store.talks();
  if (code !== undefined) {
    const wanted = normalizeJoinCode(code);
    const found = talks.find((t) => t.code === wanted);
    if (!found) throw new ReportError(`No talk ${code} in ${dataDir}. Talks there: ${talks.map((t) => t.code).join(', ') || 'none'}.`);
    return found;
  }
  if (deck) {
    const found = store.findTalkByDeck(deck.source);
    if (!found) throw new ReportError(`${deck.source} has no talk in ${dataDir}. Give the data directory the talk ran with (--data-dir).`);
    return found;
  }
  const newest = talks[0];
  if (!newest) throw new ReportError(`${dataDir} holds no talk yet.`);
  return newest;
}

/** The deck the talk ran with, if it is still there: it gives the titles and the polls' questions. */
async function deckIfLoadable(source: string): Promise<Deck | null> {
  try {
    return await loadDeck(source);
  } catch (err) {
    if (err instanceof DeckError) return null;
    throw err;
  }
}

/** Without the deck: as many slides as the deck moves reached, titled by number. */
function infoFromLog(store: SqliteStore, record: TalkRecord): TalkInfo {
  const stacks: number[] = [1];
  let after = 0;
  for (;;) {
    const batch = store.events(record.code, after, 5000);
    if (batch.length === 0) break;
    for (const event of batch) {
      after = event.seq;
      const state = event.data as { indexh?: unknown; indexv?: unknown } | null;
      if (event.kind !== 'deck' || typeof state?.indexh !== 'number' || typeof state.indexv !== 'number') continue;
      const { indexh, indexv } = state;
      if (!Number.isInteger(indexh) || !Number.isInteger(indexv) || indexh < 0 || indexv < 0 || indexh > 10_000 || indexv > 10_000) continue;
      while (stacks.length <= indexh) stacks.push(1);
      stacks[indexh] = Math.max(stacks[indexh]!, indexv + 1);
    }
  }
  return { title: basename(record.deckSource), stacks, fragments: stacks.map((n) => Array.from({ length: n }, () => 0)) };
}
