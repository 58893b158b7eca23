import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { Balancer } from './balancer.ts';
import { freePort } from './child-server.ts';

/** A tiny backend that answers every request with its own name, and upgrades to an echo. */
async function backend(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${name} 1\n\n`);
      setTimeout(() => res.end(`data: ${name} 2\n\n`), 100);
      return;
    }
    res.setHeader('connection', 'close');
    res.end(name);
  });
  server.on('upgrade', (_req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (d) => socket.write(d));
    // The http server keeps half-open sockets; an upgraded one must close when its peer does.
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}

function get(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function withTwo(run: (lb: Balancer, a: number, b: number) => Promise<void>): Promise<void> {
  const a = await backend('A');
  const b = await backend('B');
  const lb = new Balancer([a.port, b.port]);
  await lb.listen();
  try {
    await run(lb, a.port, b.port);
  } finally {
    await lb.close();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    await new Promise((r) => a.server.close(r));
    await new Promise((r) => b.server.close(r));
  }
}

describe('Balancer', () => {
  it('sends each new connection to the next backend in turn, and counts them', async () => {
    await withTwo(async (lb, a, b) => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await get(lb.port));
      assert.deepEqual(answers, ['A', 'B', 'A', 'B']);
      assert.equal(lb.countFor(a), 2);
      assert.equal(lb.countFor(b), 2);
    });
  });

  it('stops using a removed backend and uses it again once added back', async () => {
    await withTwo(async (lb, a) => {
      lb.remove(a);
      assert.deepEqual([await get(lb.port), await get(lb.port)], ['B', 'B']);
      lb.add(a);
      const both = new Set([await get(lb.port), await get(lb.port)]);
      assert.deepEqual([...both].sort(), ['A', 'B']);
    });
  });

  it('skips a backend that refuses the connection', async () => {
    const dead = await freePort();
    const a = await backend('A');
    const lb = new Balancer([dead, a.port]);
    await lb.listen();
    try {
      for (let i = 0; i < 3; i++) assert.equal(await get(lb.port), 'A');
      assert.equal(lb.countFor(dead), 0);
      assert.equal(lb.countFor(a.port), 3);
    } finally {
      await lb.close();
      await new Promise((r) => a.server.close(r));
    }
  });

  it('drops the client when no backend is left', async () => {
    const lb = new Balancer([await freePort()]);
    await lb.listen();
    try {
      await assert.rejects(get(lb.port));
    } finally {
      await lb.close();
    }
  });

  it('passes an upgraded connection and a streamed response through untouched', async () => {
    await withTwo(async (lb) => {
      const echoed = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: lb.port, agent: false, headers: { connection: 'Upgrade', upgrade: 'echo' } });
        req.on('upgrade', (_res, socket) => {
          socket.once('data', (d: Buffer) => {
            socket.destroy();
            resolve(d.toString());
          });
          socket.write('ping over the upgrade');
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(echoed, 'ping over the upgrade');
      const stream = await get(lb.port, '/stream');
      assert.match(stream, /^data: ([AB]) 1\n\ndata: \1 2\n\n$/);
    });
  });
});
