import { createServer, connect, type Server, type Socket } from 'node:net';

/** One direction of a pair: bytes wait here while the proxy adds latency, in arrival order. */
class Lane {
  private readonly queue: { at: number; data: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly target: Socket) {}

  get empty(): boolean {
    return this.queue.length === 0;
  }

  send(data: Buffer, delayMs: number): void {
    if (delayMs <= 0 && this.empty) {
      this.target.write(data);
      return;
    }
    this.queue.push({ at: Date.now() + delayMs, data });
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.empty) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      while (!this.empty && this.queue[0]!.at <= Date.now()) {
        const { data } = this.queue.shift()!;
        if (!this.target.destroyed) this.target.write(data);
      }
      this.arm();
    }, Math.max(0, this.queue[0]!.at - Date.now()));
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Both directions dropped, and closes are not passed on. */
  holed: boolean;
  /** Upstream→client bytes dropped: the client keeps talking into a connection that answers nothing. */
  downstreamDropped: boolean;
  /** Bytes held, not dropped, until `heal`: what TCP does for a partition shorter than its retransmission timeout. */
  stalled: boolean;
  held: Array<{ lane: 'up' | 'down'; data: Buffer }>;
  toUpstream: Lane;
  toClient: Lane;
}

/**
 * A TCP proxy for faults between two processes: blackhole (no FIN, no RST, like a phone walking out
 * of Wi-Fi range), a one-way drop (a silent subscriber), RST, refused connections and latency.
 * (`tc netem` is not available here.)
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private refusing = false;
  private delayMs = 0;
  port = 0;
  /** Upstream sockets closed by the server side while blackholed. */
  upstreamClosed = 0;
  /** Connections reset at accept while refusing. */
  refused = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.refusing) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: Pair = {
      client,
      upstream,
      holed: false,
      downstreamDropped: false,
      stalled: false,
      held: [],
      toUpstream: new Lane(upstream),
      toClient: new Lane(client),
    };
    this.pairs.add(pair);
    client.on('data', (d: Buffer) => {
      if (pair.holed) return;
      if (pair.stalled) pair.held.push({ lane: 'up', data: d });
      else pair.toUpstream.send(d, this.delayMs);
    });
    upstream.on('data', (d: Buffer) => {
      if (pair.holed || pair.downstreamDropped) return;
      if (pair.stalled) pair.held.push({ lane: 'down', data: d });
      else pair.toClient.send(d, this.delayMs);
    });
    const end = () => {
      if (pair.holed && upstream.destroyed) this.upstreamClosed++;
      this.pairs.delete(pair);
      // While blackholed, the other side must not learn of the close.
      if (pair.holed) return;
      // Bytes still held back by a delay arrive before the close, as they would on a slow link.
      const finish = () => {
        if (pair.toUpstream.empty && pair.toClient.empty) {
          client.destroy();
          upstream.destroy();
        } else setTimeout(finish, 5);
      };
      finish();
    };
    client.on('close', end);
    upstream.on('close', end);
    upstream.on('error', () => undefined);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Silently drops every byte of the current connections from now on. */
  blackhole(): void {
    for (const pair of this.pairs) pair.holed = true;
  }

  /** Drops only what the upstream sends on the current connections; the client's bytes still reach it. */
  dropDownstream(): void {
    for (const pair of this.pairs) pair.downstreamDropped = true;
  }

  /**
   * Holds every byte of the current connections, both ways, without closing them: a brief
   * partition. `heal` delivers what was held, in order, as TCP's retransmissions would. (After
   * `blackhole` the dropped bytes are gone and the stream is torn: a Redis client then needs a
   * new connection, as after a partition longer than TCP retries.)
   */
  stall(): void {
    for (const pair of this.pairs) pair.stalled = true;
  }

  /** Lets new bytes of the current connections through again (after blackhole, dropDownstream or stall, whose held bytes go first). */
  heal(): void {
    for (const pair of this.pairs) {
      pair.holed = false;
      pair.downstreamDropped = false;
      pair.stalled = false;
      for (const { lane, data } of pair.held.splice(0)) (lane === 'up' ? pair.toUpstream : pair.toClient).send(data, this.delayMs);
    }
  }

  /** Resets every current connection on both sides (TCP RST, not FIN). */
  reset(): void {
    for (const pair of [...this.pairs]) {
      this.pairs.delete(pair);
      pair.toUpstream.clear();
      pair.toClient.clear();
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
  }

  /**
   * While on, new connections are accepted and reset at once (a firewall's REJECT with tcp-reset);
   * the current ones are untouched.
   */
  refuseNew(on: boolean): void {
    this.refusing = on;
  }

  /** Adds `ms` of latency each way to every byte that arrives from now on; 0 removes it. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.toUpstream.clear();
      pair.toClient.clear();
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
