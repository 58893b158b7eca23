import { parseArgs } from 'node:util';
import { parseDuration } from '../deck/duration.ts';

export interface CliOptions {
  deck: string;
  port: number;
  host: string | undefined;
  /** Where talks, events and secrets.json live. */
  dataDir: string;
  /** TLS certificate and key (PEM); both or neither. */
  tls: { cert: string; key: string } | undefined;
  /** Extra origins allowed to open WebSockets (reverse proxies). */
  allowOrigins: string[];
  /** scheme://host[:port] printed in the links instead of the LAN address (a reverse proxy's public name). */
  publicUrl: string | undefined;
  /** Open WebSockets allowed from one IP address; undefined: the relay's default. */
  maxConnectionsPerAddress: number | undefined;
  /** Extra style sheets and scripts for the deck (`--css`, `--scripts`), relative to the deck folder. */
  css: string[];
  scripts: string[];
  /** `--duration`: planned talk length in seconds (pacing on the console). */
  duration: number | undefined;
  /** Hidden: heartbeat interval for tests of dead-link detection. */
  heartbeatMs: number | undefined;
  /** `--redis` (or LIVEDECK_REDIS_URL): run as one node of a cluster on this Redis (docs/scaling.md). */
  redis: string | undefined;
  /** `livedeck serve`: join a talk another node registered, instead of serving a deck given here. */
  serve: boolean;
  /** `serve --talk CODE`: which registered talk (needed when Redis holds several). */
  talk: string | undefined;
  /** `serve --deck-dir`: the deck's folder is already on this node (decks over the bundle cap); checked by hash. */
  deckDir: string | undefined;
  help: boolean;
  version: boolean;
}

/** Relative to where the command runs; .gitignore lists it. */
export const DEFAULT_DATA_DIR = '.livedeck';

export class UsageError extends Error {}

export const USAGE = `Usage: livedeck [deck] [options]
       livedeck serve --redis <url> [--talk <code>] [options]
       livedeck report <deck or data-dir> [--json]   (livedeck report --help)

Serves a reveal.js deck (Markdown, HTML, or a folder holding one) and keeps every
phone in the room on the presenter's slide. Without a deck, the bundled demo talk.

Options:
  --port <n>     port to listen on (default 8080)
  --host <addr>  address to bind (default: all interfaces)
  --data-dir <dir>
                 where talks and answers are kept (default ./.livedeck); the
                 same deck and data dir bring back the same talk and links
  --cert <file> --key <file>
                 serve https/wss with this PEM certificate and key
  --public-url <url>
                 print links with this scheme://host[:port] instead of the
                 LAN address, e.g. https://talk.example.org behind a reverse
                 proxy; requests for that host are accepted
  --allow-origin <origin>
                 also accept requests for this host and WebSockets from pages
                 on this origin, e.g. https://talk.example.org (repeatable)
  --max-connections-per-address <n>
                 open WebSockets allowed from one IP address (default: no
                 limit, as a venue's Wi-Fi can put every phone behind one
                 NAT address)
  --css <files>  extra style sheets beside the deck, comma-separated or
                 repeated (as reveal-md's --css)
  --scripts <files>
                 extra scripts beside the deck, run after reveal.js starts,
                 comma-separated or repeated (as reveal-md's --scripts)
  --duration <length>
                 planned talk length for the console's pacing, e.g. 20m or
                 1h30m (wins over the deck's front matter duration)
  --redis <url>  cluster mode: this node keeps the talk's log in Redis, and more
                 nodes join with \`livedeck serve --redis <url>\` behind a load
                 balancer (docs/scaling.md); also LIVEDECK_REDIS_URL
  --talk <code>  (serve) the registered talk to serve, when Redis holds several
  --deck-dir <dir>
                 (serve) the deck's folder on this node, for decks too big to
                 bundle into Redis; checked against the registered hash
  --help         show this help
  --version      print the version`;

/** Parses argv (without node and script). Throws UsageError with a one-line message. */
export function parseCli(argv: string[], defaultDeck: string, env: Record<string, string | undefined> = {}): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'public-url': { type: 'string' },
        css: { type: 'string', multiple: true },
        scripts: { type: 'string', multiple: true },
        duration: { type: 'string' },
        'heartbeat-ms': { type: 'string' },
        'max-connections-per-address': { type: 'string' },
        redis: { type: 'string' },
        talk: { type: 'string' },
        'deck-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError(firstLine(err instanceof Error ? err.message : String(err)));
  }
  const { values } = parsed;
  const serve = parsed.positionals[0] === 'serve';
  const positionals = serve ? parsed.positionals.slice(1) : parsed.positionals;
  const redis = values.redis ?? (env.LIVEDECK_REDIS_URL || undefined);
  if (redis !== undefined && !/^rediss?:\/\/[^\s]+$/i.test(redis)) throw new UsageError(`--redis wants redis://host:port (or rediss://), got "${redis}".`);
  if (serve && redis === undefined) throw new UsageError('livedeck serve joins a cluster: give --redis <url> (or LIVEDECK_REDIS_URL).');
  if (serve && positionals.length > 0) throw new UsageError('livedeck serve takes no deck: it serves the deck registered in Redis.');
  if (!serve && (values.talk !== undefined || values['deck-dir'] !== undefined)) throw new UsageError('--talk and --deck-dir are for livedeck serve.');
  if (positionals.length > 1) throw new UsageError(`Expected one deck, got ${positionals.length}: ${positionals.join(' ')}`);
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}".`);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together.');
  const heartbeatMs = values['heartbeat-ms'] === undefined ? undefined : Number(values['heartbeat-ms']);
  if (heartbeatMs !== undefined && !(Number.isInteger(heartbeatMs) && heartbeatMs >= 50)) throw new UsageError('--heartbeat-ms must be a whole number of at least 50.');
  const perAddress = values['max-connections-per-address'];
  const maxConnectionsPerAddress = perAddress === undefined ? undefined : Number(perAddress);
  if (maxConnectionsPerAddress !== undefined && !(Number.isInteger(maxConnectionsPerAddress) && maxConnectionsPerAddress >= 1)) {
    throw new UsageError(`--max-connections-per-address must be a whole number of at least 1, got "${perAddress}".`);
  }
  const duration = values.duration === undefined ? undefined : parseDuration(values.duration);
  if (duration === null) throw new UsageError(`--duration wants a length such as 20m or 1h30m, got "${values.duration}".`);
  for (const origin of values['allow-origin'] ?? []) {
    if (!isOrigin(origin)) throw new UsageError(`--allow-origin wants scheme://host[:port], got "${origin}".`);
  }
  const publicUrl = values['public-url']?.replace(/\/$/, '');
  if (publicUrl !== undefined && !isOrigin(publicUrl)) throw new UsageError(`--public-url wants scheme://host[:port], got "${values['public-url']}".`);
  return {
    deck: positionals[0] ?? defaultDeck,
    port,
    host: values.host,
    dataDir: values['data-dir'] || DEFAULT_DATA_DIR,
    tls: values.cert !== undefined && values.key !== undefined ? { cert: values.cert, key: values.key } : undefined,
    allowOrigins: values['allow-origin'] ?? [],
    publicUrl,
    css: fileList(values.css),
    scripts: fileList(values.scripts),
    duration,
    maxConnectionsPerAddress,
    heartbeatMs,
    redis,
    serve,
    talk: values.talk,
    deckDir: values['deck-dir'],
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

/** scheme://host[:port] that URL parses to the same origin: no path, no user info ("localhost@evil.example"). */
function isOrigin(text: string): boolean {
  if (!/^https?:\/\/[^/\s@]+$/i.test(text)) return false;
  try {
    return new URL(text).origin !== 'null';
  } catch {
    return false;
  }
}

/** `--css a.css,b.css --css c.css` → the three, in order. */
function fileList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/\. To specify a positional argument.*$/, '.');
}
