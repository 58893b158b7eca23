/**
 * One relay node of a cluster (docs/scaling.md): the talk's log in Redis (ClusterLog), signals
 * across nodes (RedisSignals), the audience summed over nodes (ClusterPresence), and what the
 * balancer asks (/healthz). Reached only through `await import()` from start.ts and main.ts when
 * --redis is given, so single-node mode never loads ioredis.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { TalkHost } from '../talk/host.ts';
import type { NodeHealth } from '../http/health.ts';
import type { SessionForwarder } from '../transport/forward.ts';
import { fallbackAudience } from '../transport/count.ts';
import { ClusterLog } from './cluster-log.ts';
import { ClusterPresence, type PresenceCounts } from './presence.ts';
import { commandConnection, type RedisClient } from './redis.ts';
import { RedisSignals } from './signals.ts';
import { chooseTalk, type ClusterTalkRecord } from './registry.ts';
import { openTalkDeck, publishTalk, type PublishTalkOptions, type PublishedTalk } from './talk-deck.ts';

/** /healthz turns 503 after Redis has been unreachable this long, or the node lags this far behind. */
export const UNHEALTHY_AFTER_MS = 2_000;
/** A node cut off from Redis this long sends its phones to the other nodes (close 1012). */
export const DRAIN_AFTER_MS = 10_000;
/** ...spread over this long, so the others are not hit by one wave. */
export const DRAIN_SPREAD_MS = 5_000;

/** Where each node answers, for fallback requests that land on another node (its session ids name it). */
const addressKey = (code: string): string => `ld:{${code}}:addr`;
const ADDRESS_CACHE_MS = 5_000;
const ADDRESS_CACHE_MAX = 256;

export interface Drainable {
  drain(spreadMs: number): number;
}

export interface ClusterNodeOptions {
  url: string;
  code: string;
  /** This node's own copy of the log (SQLite in its data directory). */
  mirror: Store;
  node?: string;
  positionCheckMs?: number;
}

export class ClusterNode {
  private watch: NodeJS.Timeout | null = null;
  private drainedThisOutage = false;
  /** Set when a restore left this node with events beyond the kept log: it must be restarted. */
  private diverged = false;
  /** Things the operator should hear at start (Redis without persistence). */
  readonly warnings: string[] = [];
  /** Connections sent elsewhere by drains, for the operator and tests. */
  drained = 0;

  private constructor(
    readonly code: string,
    readonly node: string,
    readonly log: ClusterLog,
    readonly signals: RedisSignals,
    private readonly cmd: RedisClient,
    private presence: ClusterPresence | null = null,
  ) {}

  static async open(options: ClusterNodeOptions): Promise<ClusterNode> {
    // No dot: a fallback session id is `<node>.<secret>`.
    const node = options.node ?? `${hostname().split('.')[0]}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const log = await ClusterLog.open({
      url: options.url,
      talk: options.code,
      node,
      mirror: options.mirror,
      ...(options.positionCheckMs === undefined ? {} : { positionCheckMs: options.positionCheckMs }),
    });
    const cmd = await commandConnection(options.url, `ld-${node}-misc`);
    const signals = await RedisSignals.connect(options.url, options.code, node, cmd);
    const made = new ClusterNode(options.code, node, log, signals, cmd);
    made.warnings.push(...(await persistenceWarnings(cmd)));
    return made;
  }

  /** Counts this node's connections into the cluster's total and watches its link to Redis. */
  async attach(host: TalkHost, relay: Drainable): Promise<void> {
    const { room } = host;
    const local = (): PresenceCounts => ({
      audience: room.count('audience'),
      screen: room.count('screen'),
      presenter: room.count('presenter'),
      moderator: room.count('moderator'),
      slow: fallbackAudience(room),
    });
    const presence = new ClusterPresence({ redis: this.cmd, code: host.talk.code, node: this.node, local });
    this.presence = presence;
    host.counts = {
      audience: (localAudience) => presence.othersCounts().audience + localAudience,
      slow: (localSlow) => presence.othersCounts().slow + localSlow,
    };
    presence.onChange(() => host.schedulePresence());
    // Rare (a node that joined a restore late held events the restore did not keep; they were
    // committed again with their keys): its in-memory state is no longer the log's. It sends its
    // phones to the other nodes and reports unhealthy until restarted (it then bootstraps from Redis).
    this.log.onDiverged((d) => {
      this.diverged = true;
      this.drained += relay.drain(DRAIN_SPREAD_MS);
      process.emitWarning(`livedeck: node ${this.node} diverged from the restored log (epoch ${d.epoch}, ${d.resubmitted} events committed again): restart it`);
    });
    await presence.start();
    this.watch = setInterval(() => {
      const { unreachableForMs } = this.log.health();
      if (unreachableForMs === 0) this.drainedThisOutage = false;
      else if (unreachableForMs >= DRAIN_AFTER_MS && !this.drainedThisOutage) {
        this.drainedThisOutage = true;
        this.drained += relay.drain(DRAIN_SPREAD_MS);
        process.emitWarning(`livedeck: node ${this.node} cannot reach Redis for ${Math.round(unreachableForMs / 1000)} s: sending its connections to the other nodes`);
      }
    }, 1_000);
    this.watch.unref();
  }

  /**
   * Fallback sessions across nodes: this node's session ids start with its id, and it tells the
   * others where it answers, so a request for its session that lands elsewhere is passed here.
   */
  sessions(localUrl: string): SessionForwarder {
    const key = addressKey(this.code);
    const cache = new Map<string, { url: string | null; at: number }>();
    void this.cmd.hset(key, this.node, localUrl).catch(() => undefined);
    return {
      node: this.node,
      locate: async (node) => {
        const known = cache.get(node);
        if (known && Date.now() - known.at < ADDRESS_CACHE_MS) return known.url;
        const url = await this.cmd.hget(key, node).catch(() => known?.url ?? null);
        // Only nodes that exist are remembered: the id comes from the request, so caching misses
        // would let anyone grow this map with made-up session ids.
        if (url !== null) {
          if (cache.size >= ADDRESS_CACHE_MAX) cache.clear();
          cache.set(node, { url, at: Date.now() });
        }
        return url;
      },
    };
  }

  health(): NodeHealth {
    const h = this.log.health();
    const ok = !this.diverged && h.unreachableForMs < UNHEALTHY_AFTER_MS && h.lagMs < UNHEALTHY_AFTER_MS;
    return { ok, detail: { mode: 'cluster', node: this.node, reachable: h.reachable, lagMs: h.lagMs, applied: h.applied, epoch: h.epoch, draining: this.drainedThisOutage } };
  }

  async close(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    // Requests for this node's sessions must not be sent to where it no longer answers.
    await this.cmd.hdel(addressKey(this.code), this.node).catch((err: unknown) => console.error('livedeck: could not remove this node from the cluster addresses:', err));
    await this.presence?.stop();
    await this.signals.close();
    await this.log.close();
    this.cmd.disconnect();
  }
}

/** `livedeck talk.md --redis`: registers the talk and stores its deck for the other nodes. */
export async function registerTalk(url: string, options: PublishTalkOptions): Promise<PublishedTalk> {
  return withConnection(url, (redis) => publishTalk(redis, options));
}

/** `livedeck serve --redis`: the registered talk this node serves, and the deck file to load (from the bundle, or a checked --deck-dir). */
export async function joinTalk(url: string, options: { talk?: string; cacheDir: string; deckDir?: string; dataDir?: string | null }): Promise<{ record: ClusterTalkRecord; deckPath: string }> {
  return withConnection(url, async (redis) => {
    const record = await chooseTalk(redis, options.talk);
    const deckPath = await openTalkDeck(redis, record, {
      cacheDir: options.cacheDir,
      ...(options.deckDir === undefined ? {} : { deckDir: options.deckDir }),
      dataDir: options.dataDir ?? null,
    });
    return { record, deckPath };
  });
}

/**
 * Without an append-only file a Redis restart empties the talk: it is then restored from the
 * nodes' own copies (docs/scaling.md), but the operator should know it runs that way.
 */
async function persistenceWarnings(redis: RedisClient): Promise<string[]> {
  try {
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    return appendonly === 'no' ? ['Redis runs without persistence (appendonly no): a Redis restart empties the talk, which the nodes then restore from their own copies. Set appendonly yes (docs/scaling.md).'] : [];
  } catch (err) {
    // Managed Redis services often refuse CONFIG: say so rather than guess.
    return [`Could not read Redis's persistence setting (${err instanceof Error ? err.message : String(err)}); make sure appendonly is on (docs/scaling.md).`];
  }
}

async function withConnection<T>(url: string, work: (redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = await commandConnection(url, 'ld-setup');
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}
