/**
 * How many people a talk has across all nodes (design study §2.9). Each node writes its own
 * counts every 2 s (`HSET ld:{T}:counts <node> <json>`, `ZADD ld:{T}:nodes <now> <node>`) and reads
 * everyone's back in the same script; a node whose heartbeat is older than 6 s has died or lost
 * Redis, and its counts are dropped (Centrifugo: 3 s / 7 s). The time is Redis's own (`TIME`), so
 * nodes with skewed clocks still agree who is stale.
 *
 * This node's share is always its current local count: a phone joining here shows at once; other
 * nodes' shares are as of the last heartbeat. While Redis is away the last totals are kept and the
 * heartbeat is retried on its normal schedule.
 */
import type { RedisClient } from './redis.ts';

export interface PresenceCounts {
  audience: number;
  screen: number;
  presenter: number;
  moderator: number;
  /** Of the audience, phones on a fallback transport (SSE or long-polling). */
  slow: number;
}

const ROLES = ['audience', 'screen', 'presenter', 'moderator', 'slow'] as const satisfies readonly (keyof PresenceCounts)[];

export const emptyCounts = (): PresenceCounts => ({ audience: 0, screen: 0, presenter: 0, moderator: 0, slow: 0 });

export const countsKey = (code: string): string => `ld:{${code}}:counts`;
export const nodesKey = (code: string): string => `ld:{${code}}:nodes`;

export interface ClusterPresenceOptions {
  redis: RedisClient;
  code: string;
  /** This node's id, unique in the cluster. */
  node: string;
  /** This node's own connections for the talk, read at each heartbeat. */
  local: () => PresenceCounts;
  /** Default 2 000 ms. */
  heartbeatMs?: number;
  /** A node silent for longer is dropped. Default 6 000 ms. */
  expiryMs?: number;
}

/**
 * One script per heartbeat: write this node's counts, drop stale nodes, read the others. Redis
 * 7 replicates a script's effects, so reading TIME before writing is allowed.
 * KEYS: counts, nodes. ARGV: node, counts JSON, expiry ms.
 */
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = now - tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
for _, node in ipairs(stale) do
  redis.call('ZREM', KEYS[2], node)
  redis.call('HDEL', KEYS[1], node)
end
local live = redis.call('ZRANGEBYSCORE', KEYS[2], oldest, '+inf')
local out = {}
for _, node in ipairs(live) do
  if node ~= ARGV[1] then
    out[#out + 1] = node
    out[#out + 1] = redis.call('HGET', KEYS[1], node) or ''
  end
end
return out
`;

/** Another node's counts, read defensively: a value this version cannot read counts as zero. */
function parseCounts(text: string): PresenceCounts {
  const counts = emptyCounts();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return counts; // a node of another version, or a hand edit: its share is unknown, not fatal
  }
  if (value === null || typeof value !== 'object') return counts;
  for (const role of ROLES) {
    const n = (value as Record<string, unknown>)[role];
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) counts[role] = n;
  }
  return counts;
}

function add(a: PresenceCounts, b: PresenceCounts): PresenceCounts {
  const sum = emptyCounts();
  for (const role of ROLES) sum[role] = a[role] + b[role];
  return sum;
}

const same = (a: PresenceCounts, b: PresenceCounts): boolean => ROLES.every((role) => a[role] === b[role]);

export class ClusterPresence {
  private readonly heartbeatMs: number;
  private readonly expiryMs: number;
  /** The other live nodes' counts, summed, as of the last heartbeat that reached Redis. */
  private others = emptyCounts();
  private last: PresenceCounts;
  private readonly listeners: ((totals: PresenceCounts) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Heartbeats that did not reach Redis (for /healthz and tests). */
  failures = 0;
  /** Whether the last heartbeat reached Redis. */
  reachable = false;

  constructor(private readonly options: ClusterPresenceOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 2_000;
    this.expiryMs = options.expiryMs ?? 6_000;
    this.last = options.local();
  }

  /** Sends the first heartbeat now (resolves even if Redis is away) and keeps beating. */
  async start(): Promise<void> {
    await this.beat();
  }

  /** Every live node's counts summed, this node's as of now. */
  totals(): PresenceCounts {
    return add(this.others, this.options.local());
  }

  /**
   * The other live nodes' counts only, as of the last heartbeat. A join adds its own node's
   * count to this instead of calling totals(): counting this node's slow-mode phones walks
   * every connection, which once per join made a join storm quadratic.
   */
  othersCounts(): PresenceCounts {
    return this.others;
  }

  /** Called with the new totals whenever they change (after a heartbeat, or `localChanged`). */
  onChange(listener: (totals: PresenceCounts) => void): void {
    this.listeners.push(listener);
  }

  /** This node's connections changed: tell listeners now rather than at the next heartbeat. */
  localChanged(): void {
    this.notify();
  }

  /** One heartbeat now; the next is scheduled a full interval after it. */
  async beat(): Promise<void> {
    if (this.stopped) return;
    if (this.running) return this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.exchange().finally(() => {
      this.running = null;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
        this.timer.unref();
      }
    });
    return this.running;
  }

  /** Stops beating and removes this node's entry, so the others drop its share at once, not after the expiry. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const { redis, code, node } = this.options;
    try {
      await redis.multi().zrem(nodesKey(code), node).hdel(countsKey(code), node).exec();
    } catch {
      // Redis away: the entry expires on the other nodes after expiryMs anyway.
      this.failures++;
    }
  }

  private async exchange(): Promise<void> {
    const { redis, code, node } = this.options;
    try {
      const reply = (await redis.eval(HEARTBEAT, 2, countsKey(code), nodesKey(code), node, JSON.stringify(this.options.local()), String(this.expiryMs))) as string[];
      let others = emptyCounts();
      for (let i = 1; i < reply.length; i += 2) others = add(others, parseCounts(reply[i] ?? ''));
      this.others = others;
      this.reachable = true;
    } catch {
      // Redis away or slow: keep the last known shares of the other nodes; the next heartbeat retries.
      this.failures++;
      this.reachable = false;
    }
    this.notify();
  }

  private notify(): void {
    const now = this.totals();
    if (same(now, this.last)) return;
    this.last = now;
    for (const listener of this.listeners) listener(now);
  }
}
