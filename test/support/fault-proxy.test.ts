import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FaultProxy } from './fault-proxy.ts';

/** The far side: keeps each accepted socket and everything it received. */
class Upstream {
  readonly server: Server;
  readonly sockets: Socket[] = [];
  received = '';
  errors: string[] = [];
  port = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      socket.on('data', (d: Buffer) => (this.received += d.toString()));
      socket.on('error', (e: NodeJS.ErrnoException) => this.errors.push(e.code ?? e.message));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  async connected(n: number): Promise<Socket> {
    while (this.sockets.length < n) await new Promise((r) => setTimeout(r, 5));
    return this.sockets[n - 1]!;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

/** A client of the proxy that collects what it reads and how it ended. */
async function dial(port: number): Promise<{ socket: Socket; read: () => string; ended: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString()));
  const ended = new Promise<string>((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.once('close', () => resolve('close'));
  });
  await once(socket, 'connect');
  return { socket, read: () => got, ended };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Long enough for loopback bytes to have arrived if they were going to. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('FaultProxy', () => {
  let upstream: Upstream;
  let proxy: FaultProxy;
  beforeEach(async () => {
    upstream = new Upstream();
    await upstream.listen();
    proxy = new FaultProxy(upstream.port);
    await proxy.listen();
  });
  afterEach(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('passes bytes both ways until told otherwise', async () => {
    const c = await dial(proxy.port);
    c.socket.write('hello');
    const far = await upstream.connected(1);
    await until(() => upstream.received === 'hello', 'upstream bytes');
    far.write('world');
    await until(() => c.read() === 'world', 'client bytes');
    c.socket.destroy();
  });

  it('blackhole drops both directions and passes on no close', async () => {
    const c = await dial(proxy.port);
    const far = await upstream.connected(1);
    proxy.blackhole();
    c.socket.write('lost');
    far.write('lost too');
    far.destroy();
    await settle();
    assert.equal(upstream.received, '');
    assert.equal(c.read(), '');
    assert.equal(c.socket.destroyed, false, 'the client did not learn of the close');
    c.socket.destroy();
  });

  it('dropDownstream lets the client talk but answers nothing, and heal lets new bytes through', async () => {
    const c = await dial(proxy.port);
    const far = await upstream.connected(1);
    proxy.dropDownstream();
    c.socket.write('PING');
    await until(() => upstream.received === 'PING', 'the client bytes to still arrive');
    far.write('PONG during the drop');
    await settle();
    assert.equal(c.read(), '', 'the answer was dropped');
    assert.equal(c.socket.destroyed, false);

    proxy.heal();
    far.write('after heal');
    await until(() => c.read() === 'after heal', 'bytes after heal');
    c.socket.destroy();
  });

  it('heal ends a blackhole for new bytes of the same connection', async () => {
    const c = await dial(proxy.port);
    const far = await upstream.connected(1);
    proxy.blackhole();
    c.socket.write('lost');
    await settle();
    proxy.heal();
    c.socket.write('kept');
    far.write('back');
    await until(() => upstream.received === 'kept' && c.read() === 'back', 'both directions after heal');
    c.socket.destroy();
  });

  it('reset sends RST to both sides of every current connection', async () => {
    const c = await dial(proxy.port);
    await upstream.connected(1);
    proxy.reset();
    assert.equal(await c.ended, 'ECONNRESET');
    await until(() => upstream.errors.includes('ECONNRESET'), 'the upstream to see a reset');
  });

  it('refuseNew resets new connections, keeps the current ones, and can be turned off', async () => {
    const old = await dial(proxy.port);
    const far = await upstream.connected(1);
    proxy.refuseNew(true);
    const refused = connect(proxy.port, '127.0.0.1');
    const how = await new Promise<string>((resolve) => {
      refused.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      refused.once('close', () => resolve('close'));
    });
    assert.equal(how, 'ECONNRESET');
    assert.equal(proxy.refused, 1);
    assert.equal(upstream.sockets.length, 1, 'the upstream never saw the refused connection');

    far.write('still here');
    await until(() => old.read() === 'still here', 'the current connection to keep working');

    proxy.refuseNew(false);
    const fresh = await dial(proxy.port);
    fresh.socket.write('new');
    await until(() => upstream.received === 'new', 'a new connection after refusing ends');
    old.socket.destroy();
    fresh.socket.destroy();
  });

  it('delay holds each byte back by at least the delay, in order, and 0 removes it', async () => {
    const c = await dial(proxy.port);
    const far = await upstream.connected(1);
    far.on('data', (d: Buffer) => far.write(d));
    proxy.delay(120);
    const sentAt = Date.now();
    for (let i = 0; i < 20; i++) c.socket.write(`${i},`);
    const expected = Array.from({ length: 20 }, (_, i) => `${i},`).join('');
    await until(() => c.read() === expected, 'the delayed echo');
    const roundTrip = Date.now() - sentAt;
    console.log(`# delay 120 ms each way: echo after ${roundTrip} ms`);
    assert.ok(roundTrip >= 240, `a round trip crosses the delay twice (took ${roundTrip} ms)`);

    proxy.delay(0);
    c.socket.write('x');
    await until(() => c.read().endsWith('x'), 'the undelayed echo');
    c.socket.destroy();
  });
});
