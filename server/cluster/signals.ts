/**
 * Signals across nodes: what is not stored but must reach every node's connections (reactions,
 * the laser pointer, topic values). One Redis channel per talk, `ld:{T}:sig`, carrying
 * `{"n": node, "c": channel, "d": data}` as JSON. A node's own listeners get its signals at once,
 * in the publish call, and the node ignores their echo from Redis.
 *
 * Signals are ephemeral by contract: while Redis is away they still reach this node's listeners,
 * and are dropped for the other nodes (counted in `dropped`), never queued. Classic PUBLISH, not
 * SPUBLISH: on Redis Cluster this channel would need sharded pub/sub (design study §2.11).
 */
import type { Signals } from '../talk/log.ts';
import { subscriberConnection, type RedisClient } from './redis.ts';

export const signalsKey = (code: string): string => `ld:{${code}}:sig`;

type Listener = (data: unknown) => void;

export interface RedisSignalsOptions {
  code: string;
  /** This node's id, unique in the cluster. */
  node: string;
  /** Publishes; the command connection can be shared. */
  publisher: RedisClient;
  /** A connection in subscriber mode; it may carry other channels too (only this talk's are read). */
  subscriber: RedisClient;
  /** Quit the subscriber on close (it was made for these signals alone). */
  ownsSubscriber?: boolean;
  /** A listener threw; the other listeners still ran. Default: logged. */
  onListenerError?: (err: unknown, channel: string) => void;
}

interface Envelope {
  n: string;
  c: string;
  d: unknown;
}

/** Parses a message from the channel at the edge; null for anything another version or a hand-typed PUBLISH could send. */
function parseEnvelope(text: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { n, c, d } = value as Record<string, unknown>;
  return typeof n === 'string' && typeof c === 'string' ? { n, c, d } : null;
}

export class RedisSignals implements Signals {
  private readonly key: string;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly onMessage = (channel: string, text: string) => this.received(channel, text);
  private closed = false;
  /** Signals sent to Redis. */
  published = 0;
  /** Signals other nodes never got: Redis was away or refused. */
  dropped = 0;
  /** Other nodes' signals delivered here. */
  delivered = 0;
  /** Messages on the channel that were not signals of this format. */
  malformed = 0;
  /** Why the last Redis command failed, for diagnostics. */
  lastError: unknown = null;

  private constructor(private readonly options: RedisSignalsOptions) {
    this.key = signalsKey(options.code);
  }

  /** Subscribes to the talk's channel on the given subscriber connection; resolves once Redis confirmed it. */
  static async open(options: RedisSignalsOptions): Promise<RedisSignals> {
    const signals = new RedisSignals(options);
    options.subscriber.on('message', signals.onMessage);
    try {
      await options.subscriber.subscribe(signals.key);
    } catch (err) {
      options.subscriber.off('message', signals.onMessage);
      throw err;
    }
    return signals;
  }

  /** Opens a subscriber connection of its own to `url`, closed with the signals. */
  static async connect(url: string, code: string, node: string, publisher: RedisClient): Promise<RedisSignals> {
    const subscriber = await subscriberConnection(url, `livedeck-signals-${node}`);
    try {
      return await RedisSignals.open({ code, node, publisher, subscriber, ownsSubscriber: true });
    } catch (err) {
      subscriber.disconnect();
      throw err;
    }
  }

  publish(channel: string, data: unknown): void {
    if (this.closed) return;
    this.deliver(channel, data);
    const { publisher, node } = this.options;
    // Not queued while Redis is away (the command connection has no offline queue either): a late reaction is noise.
    if (publisher.status !== 'ready') {
      this.dropped++;
      return;
    }
    this.published++;
    publisher.publish(this.key, JSON.stringify({ n: node, c: channel, d: data })).catch((err: unknown) => {
      this.dropped++;
      this.lastError = err;
    });
  }

  subscribe(channel: string, listener: Listener): void {
    const list = this.listeners.get(channel);
    if (list) list.push(listener);
    else this.listeners.set(channel, [listener]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { subscriber, ownsSubscriber } = this.options;
    subscriber.off('message', this.onMessage);
    if (ownsSubscriber) {
      subscriber.disconnect();
      return;
    }
    // A shared subscriber queues the UNSUBSCRIBE while Redis is away; close does not wait for it then.
    const done = subscriber.unsubscribe(this.key).then(
      () => undefined,
      (err: unknown) => {
        this.lastError = err;
      },
    );
    if (subscriber.status === 'ready') await done;
  }

  private received(channel: string, text: string): void {
    if (channel !== this.key || this.closed) return;
    const envelope = parseEnvelope(text);
    if (!envelope) {
      this.malformed++;
      return;
    }
    if (envelope.n === this.options.node) return; // our own echo: delivered at publish time
    this.delivered++;
    this.deliver(envelope.c, envelope.d);
  }

  private deliver(channel: string, data: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        listener(data);
      } catch (err) {
        (this.options.onListenerError ?? ((e, c) => console.error(`livedeck: a ${c} signal listener failed:`, e)))(err, channel);
      }
    }
  }
}
