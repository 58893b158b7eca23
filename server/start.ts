import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import QRCode from 'qrcode';
import { bundleAssets } from './assets/bundle.ts';
import { loadHighlightTheme } from './assets/highlight-theme.ts';
import { loadTheme } from './assets/themes.ts';
import type { Deck } from './deck/index.ts';
import { createApp } from './http/app.ts';
import { healthRoute, SINGLE_NODE_HEALTH } from './http/health.ts';
import { publicHost } from './net.ts';
import { exportRoutes } from './features/export/index.ts';
import { attachReport, type RecorderOptions } from './features/report/index.ts';
import { reportRoutes } from './features/report/routes.ts';
import { slideTitles } from './deck/titles.ts';
import { remoteRoutes } from './features/speaker/routes.ts';
import { TalkHost } from './talk/host.ts';
import { talkFeatures } from './features/index.ts';
import { RELAY_TYPES } from './relay/handlers.ts';
import { clientSchemas } from '../protocol/contract.ts';
import { epochOf, type TalkIdentity } from './talk/identity.ts';
import { Relay } from './relay/relay.ts';
import { fallbackRoutes } from './transport/routes.ts';
import { HostAllowList } from './security/hosts.ts';
import { JoinGuard } from './security/join-guard.ts';
import { RequestGate, writeRefusal } from './security/request-gate.ts';
import { hashSecret } from './talk/secrets.ts';
import { openTalkIdentity } from './talk/identity.ts';
import { MemoryStore } from './store/memory.ts';
import { SecretsFile } from './store/secrets-file.ts';
import { SqliteStore } from './store/sqlite.ts';
import type { Store } from './store/types.ts';
import type { RateTable } from './relay/limiter.ts';
import { Talk } from './talk/talk.ts';

export interface ServerOptions {
  deck: Deck;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Host put into printed URLs; defaults to the LAN address. */
  publicHost?: string;
  /** scheme://host[:port] the links are printed with (a reverse proxy's public name); also an accepted Host and Origin. */
  publicUrl?: string;
  heartbeatMs?: number;
  code?: string;
  presenterKey?: string;
  moderatorKey?: string;
  /** Where talks and their events are kept; in memory when omitted (unless dataDir is given). */
  store?: Store;
  /** Data directory: SQLite database plus secrets.json (mode 0600). Ignored when `store` is given. */
  dataDir?: string;
  /** PEM files: serve https and wss instead of http and ws. */
  tls?: { cert: string; key: string };
  /** Origins allowed to open WebSockets besides the page's own host (reverse proxies). */
  allowOrigins?: readonly string[];
  /** Per-connection message rates by kind (tests lift them to flood on purpose). */
  rates?: Partial<RateTable>;
  /** Bytes queued for one client before it is dropped as a slow consumer. */
  slowConsumerBytes?: number;
  /** Open WebSockets per client address (RelayOptions.maxConnectionsPerAddress). */
  maxConnectionsPerAddress?: number;
  /** How often the report's presence samples and tallies are written (tests shorten them). */
  report?: Partial<RecorderOptions>;
  /** How long a remote-pairing QR code works (tests shorten it). */
  pairingTtlMs?: number;
  /** Cluster mode (docs/scaling.md): the talk's log lives in Redis and several nodes serve it. */
  cluster?: ClusterStart;
}

export interface ClusterStart {
  /** redis:// URL. */
  redis: string;
  /**
   * `livedeck serve`: the talk another node registered (its code and key hashes; this node never
   * learns the raw keys). Absent: this node registers the deck it was given, with its own keys.
   */
  joined?: { code: string; presenterKeyHash: string; moderatorKeyHash: string };
  /** How often the node checks its position against Redis (tests shorten it). */
  positionCheckMs?: number;
}

/** Header lines in one request head; more get 431 (browsers send about 20). */
export const MAX_HEADER_LINES = 100;

/** HTTP limits: small headers, and sockets that do not finish their request head (slowloris, half-sent upgrades) are closed. */
export const HTTP_LIMITS = {
  /** Also the limit on an upgrade's head measured on the wire (RequestGate), where Node skips whitespace. */
  maxHeaderSize: 8 * 1024,
  headersTimeout: 5_000,
  requestTimeout: 30_000,
  /** How often Node checks the two timeouts above (default 30 s would let a slowloris sit for 30 s). */
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
} as const;

export interface RunningServer {
  port: number;
  code: string;
  presenterKey: string;
  moderatorKey: string;
  /** 'new', 'restored' (same code and links as last time) or 'rotated' (secrets file was lost: new links). */
  origin: 'new' | 'restored' | 'rotated';
  /** Where the data lives, when on disk. */
  dataDir: string | null;
  /** Things the speaker should hear about at start (e.g. an unknown highlight theme). */
  warnings: string[];
  urls: { audience: string; screen: string; presenter: string; moderator: string; base: string; local: string };
  relay: Relay;
  http: Server;
  close(): Promise<void>;
}

export class StartError extends Error {}

/** Builds everything and listens. The caller (an entry file or a test) owns the process. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { deck } = options;
  const [assets, theme, highlight] = await Promise.all([bundleAssets(), loadTheme(deck.theme), loadHighlightTheme(deck.reveal.highlightTheme)]);
  if (!theme) throw new StartError(`Unknown theme "${deck.theme}".`);
  const warnings = highlight?.warning ? [highlight.warning] : [];

  const dataDir = options.store || !options.dataDir ? null : options.dataDir;
  const store = options.store ?? (dataDir ? openSqlite(dataDir) : new MemoryStore());
  const joined = options.cluster?.joined;
  const identity: TalkIdentity = joined
    ? { code: joined.code, presenterKey: '', moderatorKey: '', origin: 'restored' }
    : openTalkIdentity({
        store,
        deckSource: deck.source,
        secrets: dataDir ? new SecretsFile(dataDir) : null,
        ...(options.code === undefined ? {} : { code: options.code }),
        ...(options.presenterKey === undefined ? {} : { presenterKey: options.presenterKey }),
        ...(options.moderatorKey === undefined ? {} : { moderatorKey: options.moderatorKey }),
      });
  const { code, presenterKey, moderatorKey } = identity;
  const presenterKeyHash = joined ? Buffer.from(joined.presenterKeyHash, 'hex') : hashSecret(presenterKey);
  const moderatorKeyHash = joined ? Buffer.from(joined.moderatorKeyHash, 'hex') : hashSecret(moderatorKey);
  const node = options.cluster ? await openClusterNode(options.cluster, deck, dataDir, store, code, presenterKeyHash, moderatorKeyHash) : null;
  if (node) warnings.push(...node.warnings);
  const tls = options.tls ? readTls(options.tls) : null;
  const talk = new Talk({
    code,
    presenterKeyHash,
    moderatorKeyHash,
    info: { title: deck.title, stacks: deck.stacks, fragments: deck.fragments },
    notes: deck.notes,
    store,
    epoch: epochOf(store.findTalkByDeck(deck.source)),
    ...(node ? { log: node.log } : {}),
  });
  const host = new TalkHost(talk, node?.signals);
  const features = talkFeatures(host, deck, { ...(options.pairingTtlMs === undefined ? {} : { pairingTtlMs: options.pairingTtlMs }), ...(options.report ? { report: options.report } : {}) });
  await host.run(features);
  const unhandled = host.features.unhandled(Object.keys(clientSchemas), RELAY_TYPES);
  if (unhandled.length > 0) throw new Error(`No feature handles ${unhandled.join(', ')}.`);
  const report = attachReport(host, slideTitles(deck.html));

  // https.Server is not an http.Server subtype in @types/node, but has the same request and upgrade events.
  const http = (tls ? createHttpsServer({ ...HTTP_LIMITS, ...tls }) : createServer(HTTP_LIMITS)) as unknown as Server;
  // Node drops header lines past this count instead of refusing them: keeping one more than
  // allowed lets the gate see that there were too many and answer 431.
  http.maxHeadersCount = MAX_HEADER_LINES + 1;
  await listen(http, options.port, options.host);
  const port = (http.address() as AddressInfo).port;
  const printedHost = options.publicHost ?? publicHost(options.host);
  const base = options.publicUrl ? new URL(options.publicUrl).origin : `${tls ? 'https' : 'http'}://${printedHost}:${port}`;
  const hosts = new HostAllowList({
    port,
    tls: tls !== null,
    names: [printedHost, ...(options.host ? [options.host] : [])],
    urls: [...(options.publicUrl ? [options.publicUrl] : []), ...(options.allowOrigins ?? [])],
  });
  const gate = new RequestGate({ hosts, maxHeaderLines: MAX_HEADER_LINES, maxHeadBytes: HTTP_LIMITS.maxHeaderSize });
  const joinGuard = new JoinGuard();
  const relay = new Relay({
    joinGuard,
    gate,
    allowOrigins: [...(options.publicUrl ? [options.publicUrl] : []), ...(options.allowOrigins ?? [])],
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.rates ? { rates: options.rates } : {}),
    ...(options.slowConsumerBytes === undefined ? {} : { slowConsumerBytes: options.slowConsumerBytes }),
    ...(options.maxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress: options.maxConnectionsPerAddress }),
  });
  relay.addTalk(host);
  const urls = {
    base,
    /** This node itself, whatever the links point at (a balancer in cluster mode). */
    local: `${tls ? 'https' : 'http'}://${printedHost}:${port}`,
    audience: `${base}/j/${code}`,
    screen: `${base}/screen/${code}`,
    // The key travels in the fragment, which browsers never send to the server or to proxies.
    presenter: `${base}/presenter/${code}#key=${presenterKey}`,
    moderator: `${base}/moderator/${code}#key=${moderatorKey}`,
  };

  const app = createApp({
    code,
    title: deck.title,
    deckHtml: deck.html,
    deckDir: deck.dir,
    dataDir,
    deckScriptHashes: deck.scriptHashes,
    joinUrl: urls.audience,
    assets,
    theme,
    themeName: deck.theme,
    reveal: deck.reveal,
    highlight,
    qrSvg: await QRCode.toString(urls.audience, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
    joinGuard,
    hosts,
  });
  const staffKey = (key: string) => talk.isPresenterKey(key) || talk.isModeratorKey(key);
  app.route('/export', exportRoutes({ talk, authorize: staffKey }));
  const reportAsset = (name: string) => `/assets/${name}?v=${assets.assets.get(name)?.hash ?? '0'}`;
  const reportPreloads = (assets.preloads.get('report.js') ?? []).map((name) => `/assets/${name}`);
  app.route('/t', reportRoutes({ talk, authorize: staffKey, script: reportAsset('report.js'), style: reportAsset('report.css'), preloads: reportPreloads }));
  app.route('/remote', remoteRoutes(host));
  app.get('/healthz', healthRoute(node ? () => node.health() : () => SINGLE_NODE_HEALTH));
  await node?.attach(host, relay);
  const serve = getRequestListener(app.fetch);
  const fallback = fallbackRoutes(relay, node?.sessions(urls.local) ?? null);
  http.on('request', (req, res) => {
    const refused = gate.request(req);
    if (refused) writeRefusal(res, refused);
    else if (!fallback.handle(req, res)) void serve(req, res);
  });
  relay.attach(http);

  let closing: Promise<void> | null = null;
  return {
    port,
    code,
    presenterKey,
    moderatorKey,
    origin: identity.origin,
    dataDir,
    warnings,
    urls,
    relay,
    http,
    close() {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        await relay.close();
        http.closeAllConnections();
        await httpClosed;
        report.stop();
        await node?.close();
        store.close();
      })();
      return closing;
    },
  };
}

/**
 * Cluster mode: registers the talk (the first node, with the deck it was given) and opens this
 * node's part of it. ioredis and everything of cluster mode is loaded here, by import(), only.
 */
async function openClusterNode(
  cluster: ClusterStart,
  deck: Deck,
  dataDir: string | null,
  store: Store,
  code: string,
  presenterKeyHash: Buffer,
  moderatorKeyHash: Buffer,
): Promise<import('./cluster/node.ts').ClusterNode> {
  // A single-node log in this data directory would be replaced by the cluster's copy of the talk.
  const local = store.lastSeq(code);
  if (local > 0 && store.meta(code, 'epoch') === null) {
    throw new StartError(
      `${dataDir ?? 'The store'} holds this talk's single-node log (${local} events); cluster mode keeps its own copy of the Redis log there and would replace it. ` +
        'Start the cluster node with another --data-dir (this one stays readable by livedeck report).',
    );
  }
  const { ClusterNode, registerTalk } = await import('./cluster/node.ts');
  try {
    if (!cluster.joined) {
      await registerTalk(cluster.redis, {
        code,
        presenterKeyHash: presenterKeyHash.toString('hex'),
        moderatorKeyHash: moderatorKeyHash.toString('hex'),
        deckTitle: deck.title,
        deck: deck.source,
        dataDir,
      });
    }
    return await ClusterNode.open({ url: cluster.redis, code, mirror: store, ...(cluster.positionCheckMs === undefined ? {} : { positionCheckMs: cluster.positionCheckMs }) });
  } catch (err) {
    throw new StartError(`Cannot join the cluster on ${redactUrl(cluster.redis)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A Redis URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

function openSqlite(dataDir: string): Store {
  try {
    return new SqliteStore(dataDir);
  } catch (err) {
    throw new StartError(`Cannot open the data directory ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readTls(files: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(files.cert), key: readFileSync(files.key) };
  } catch (err) {
    throw new StartError(`Cannot read the TLS files: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartError(`Port ${port} is already in use. Try --port ${port + 1}.`));
      else if (err.code === 'EACCES') reject(new StartError(`Not allowed to listen on port ${port}. Try a port above 1024.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartError(`Cannot listen on host ${host}.`));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
