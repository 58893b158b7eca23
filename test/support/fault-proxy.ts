import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can blackhole its connections: bytes stop flowing both ways, but no FIN or
 * RST is sent, like a phone walking out of Wi-Fi range. (`tc netem` is not available here.)
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; holed: boolean }>();
  port = 0;
  /** Upstream sockets closed by the server side while blackholed. */
  upstreamClosed = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      const pair = { client, upstream, holed: false };
      this.pairs.add(pair);
      client.on('data', (d) => pair.holed || upstream.write(d));
      upstream.on('data', (d) => pair.holed || client.write(d));
      const end = () => {
        if (pair.holed && upstream.destroyed) this.upstreamClosed++;
        this.pairs.delete(pair);
        // While blackholed, the other side must not learn of the close.
        if (!pair.holed) {
          client.destroy();
          upstream.destroy();
        }
      };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Silently drops every byte of the current connections from now on. */
  blackhole(): void {
    for (const pair of this.pairs) pair.holed = true;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
