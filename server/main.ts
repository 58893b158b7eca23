/**
 * The `livedeck` command. The only file that reads argv, prints, listens for signals and exits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { banner } from './cli/banner.ts';
import { parseCli, USAGE, UsageError } from './cli/args.ts';
import { parseReportCli, REPORT_USAGE, ReportError, storedReport } from './cli/report.ts';
import { reportText } from './features/report/index.ts';
import { DeckError, loadDeck } from './deck/index.ts';
import { PACKAGE_ROOT } from './package-root.ts';
import { startServer, StartError } from './start.ts';

const DEMO_DECK = join(PACKAGE_ROOT, 'slides/');
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

function fail(message: string): never {
  process.stderr.write(`livedeck: ${message}\n`);
  process.exit(1);
}

/** `livedeck report …`: prints a stored talk's report and exits; never listens. */
async function report(argv: string[]): Promise<void> {
  const options = parseReportCli(argv);
  if (options === 'help') return void process.stdout.write(`${REPORT_USAGE}\n`);
  const result = await storedReport(options);
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : reportText(result));
}

/** `livedeck serve`: which registered talk, and its deck on this node. Cluster code is loaded only here and in start.ts. */
async function joinCluster(redis: string, dataDir: string, talk: string | undefined, deckDir: string | undefined) {
  const { joinTalk } = await import('./cluster/node.ts');
  try {
    return await joinTalk(redis, {
      cacheDir: join(dataDir, 'decks'),
      dataDir,
      ...(talk === undefined ? {} : { talk }),
      ...(deckDir === undefined ? {} : { deckDir }),
    });
  } catch (err) {
    throw new StartError(`Cannot join the cluster: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(): Promise<void> {
  // A deck that is really called "report" is still reachable as ./report.
  if (process.argv[2] === 'report') return report(process.argv.slice(3));
  const options = parseCli(process.argv.slice(2), DEMO_DECK, process.env);
  if (options.help) return void process.stdout.write(`${USAGE}\n`);
  if (options.version) return void process.stdout.write(`${pkg.version}\n`);

  const deckOptions = { css: options.css, scripts: options.scripts, ...(options.duration === undefined ? {} : { duration: options.duration }) };
  // `livedeck serve`: the deck comes from the talk registered in Redis (bundle or --deck-dir).
  const joined = options.serve && options.redis ? await joinCluster(options.redis, options.dataDir, options.talk, options.deckDir) : null;
  const deck = await loadDeck(joined ? joined.deckPath : options.deck, deckOptions);
  const server = await startServer({
    deck,
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    allowOrigins: options.allowOrigins,
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.maxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress: options.maxConnectionsPerAddress }),
    ...(options.redis === undefined ? {} : { cluster: { redis: options.redis, ...(joined ? { joined: joined.record } : {}) } }),
  });
  if (joined) process.stdout.write(`Node ready: talk ${server.code} on ${server.urls.local}\nPhones join at ${server.urls.audience}\n`);
  else process.stdout.write(`${await banner(server, deck.title, deck.outsideUrls)}\n`);
  for (const warning of server.warnings) process.stdout.write(`livedeck: ${warning}\n`);
  if (server.origin === 'rotated') {
    process.stdout.write(`livedeck: ${server.dataDir}/secrets.json was missing, so the presenter link changed (the talk and its data are kept).\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nlivedeck: ${signal}, closing ${server.relay.connectionCount} connections…\n`);
    // A hard deadline: a wedged socket must not keep the speaker's terminal hostage.
    setTimeout(() => process.exit(0), 4000).unref();
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) fail(`${err.message}\nRun livedeck --help for usage.`);
  if (err instanceof DeckError || err instanceof StartError || err instanceof ReportError) fail(err.message);
  fail(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
});
