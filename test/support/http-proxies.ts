import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * HTTP proxies in front of a livedeck server, as venue networks put them: plain HTTP passes,
 * WebSockets do not. The Host header passes unchanged, so the server must answer to the
 * proxy's address (start it with allowOrigins: [proxy.origin]), as behind a reverse proxy.
 *
 * - 'refuse-websockets': an upgrade is answered 403 (a proxy or firewall that forbids them).
 * - 'buffer': an upgrade is swallowed and never answered, and every response is held back
 *   until it ends or reaches `bufferBytes` (a proxy that buffers or scans bodies), so an event
 *   stream delivers nothing while a long-poll's answer arrives whole.
 */
export class HttpProxy {
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly held = new Set<Duplex>();
  targetPort = 0;
  port = 0;
  upgradesRefused = 0;
  /** The network got better: upgrades are tunnelled to the server from now on. */
  allowUpgrades = false;

  constructor(
    readonly mode: 'refuse-websockets' | 'buffer',
    private readonly bufferBytes = 1024 * 1024,
  ) {
    this.server = createServer((req, res) => this.forward(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (this.allowUpgrades) return this.tunnel(req, socket, head);
      this.upgradesRefused++;
      if (this.mode === 'refuse-websockets') {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } else {
        this.held.add(socket);
        socket.on('close', () => this.held.delete(socket));
      }
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  private tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
    this.held.add(socket);
    socket.on('close', () => {
      this.held.delete(socket);
      upstream.destroy();
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      { host: '127.0.0.1', port: this.targetPort, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
      (answer) => {
        if (this.mode === 'refuse-websockets') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let flowing = false;
        answer.on('data', (chunk: Buffer) => {
          if (flowing) return void res.write(chunk);
          chunks.push(chunk);
          size += chunk.length;
          if (size >= this.bufferBytes) {
            flowing = true;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            for (const c of chunks) res.write(c);
          }
        });
        answer.on('end', () => {
          if (!flowing) res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(flowing ? undefined : Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const socket of this.held) socket.destroy();
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
