import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP round-robin load balancer for cluster tests. Each new connection goes to the next live
 * backend, so a phone's reconnect lands on another node: nothing here is sticky. It works at the
 * TCP level, so WebSocket upgrades and SSE streams pass through byte for byte.
 */
export class Balancer {
  private readonly server: Server;
  private readonly backends: number[] = [];
  private readonly sockets = new Set<Socket>();
  private next = 0;
  port = 0;
  /** Connections handed to each backend port (successful connects only). */
  readonly connections = new Map<number, number>();

  constructor(backends: number[] = []) {
    for (const port of backends) this.add(port);
    this.server = createServer((client) => this.route(client));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  add(port: number): void {
    if (!this.backends.includes(port)) this.backends.push(port);
  }

  /** Stops sending new connections to `port`; connections already made stay. */
  remove(port: number): void {
    const at = this.backends.indexOf(port);
    if (at >= 0) this.backends.splice(at, 1);
  }

  countFor(port: number): number {
    return this.connections.get(port) ?? 0;
  }

  private route(client: Socket): void {
    this.sockets.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => this.sockets.delete(client));
    client.pause();
    this.tryBackend(client, this.backends.length);
  }

  /** Tries backends in turn; one that refuses (a dead node) is skipped, as a real balancer would. */
  private tryBackend(client: Socket, triesLeft: number): void {
    if (client.destroyed) return;
    if (triesLeft <= 0 || this.backends.length === 0) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length]!;
    const upstream = connect(port, '127.0.0.1');
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.connections.set(port, this.countFor(port) + 1);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      if (connected) client.destroy();
      else this.tryBackend(client, triesLeft - 1);
      upstream.destroy();
    });
    upstream.on('close', () => connected && client.destroy());
    client.on('close', () => upstream.destroy());
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
