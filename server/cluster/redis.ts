/**
 * Redis connections for cluster mode. ioredis is imported here only, and this module is only
 * ever reached through `await import()` from cluster code, so a single-node `livedeck talk.md`
 * neither loads nor needs it. ioredis rather than node-redis: it documents resubscribing after a
 * reconnect (`autoResubscribe`), which node-redis once failed to do (socket.io#4845), and it falls
 * back from EVALSHA to EVAL when a restarted Redis has lost its script cache.
 */
import type { Redis as RedisClient, RedisOptions } from 'ioredis';

export type { RedisClient };

/** How long a command may take before the write is answered "unavailable" (the phone's outbox keeps it). */
export const COMMAND_TIMEOUT_MS = 1_000;

/** Reconnect backoff: 50 ms doubling to 2 s (design study §2.15). */
function retryStrategy(times: number): number {
  return Math.min(2_000, 50 * 2 ** Math.min(times, 6));
}

/**
 * The command connection: fails fast while Redis is away (no offline queue, one retry), so a
 * write is refused at once with a retryable error instead of waiting in the relay's memory.
 */
export async function commandConnection(url: string, name: string): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const options: RedisOptions = {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy,
    lazyConnect: true,
  };
  const client = new Redis(url, options);
  client.on('error', () => undefined); // state changes are read from 'ready'/'close'; ioredis logs an unhandled 'error' otherwise
  await client.connect();
  return client;
}

/** The subscriber connection: resubscribes by itself after a reconnect; the log still checks its position (a silent subscription is possible). */
export async function subscriberConnection(url: string, name: string): Promise<RedisClient> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { connectionName: name, autoResubscribe: true, retryStrategy, lazyConnect: true, maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
