/**
 * Request heads an attacker shapes, against a real server over raw TCP: a page on a rebound
 * DNS name (Host and Origin both evil.example), Origin tricks, too many header lines, a
 * subprotocol value padded with whitespace, and subprotocols livedeck never defined.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { MAX_HEADER_LINES, type RunningServer } from '../server/start.ts';
import { startTestServer } from './support/server.ts';

interface RawResponse {
  status: number;
  headers: string[];
  body: string;
}

/** Writes a request head by hand and reads the response head (and what body arrives before close or 2 s). */
function exchange(port: number, head: string): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const [top = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...headers] = top.split('\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body });
    };
    const timer = setTimeout(done, 2000);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      // A 101 leaves the socket open: its head is all there is to read.
      if (/^HTTP\/1\.1 101/.test(text) && text.includes('\r\n\r\n')) done();
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.write(head);
  });
}

function upgrade(host: string, extra = ''): string {
  return (
    `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

function get(path: string, host: string, extra = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${extra}\r\n`;
}

describe('Host names', () => {
  let server: RunningServer;
  let local: string;
  before(async () => {
    server = await startTestServer({ allowOrigins: ['https://proxy.example.org'], publicUrl: 'https://talk.example.org' });
    local = `127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('refuses the DNS-rebinding shape (Host and Origin both evil.example) with 421 for pages, upgrades and export', async () => {
    for (const host of [`evil.example:${server.port}`, 'evil.example']) {
      const origin = `Origin: http://${host}\r\n`;
      const page = await exchange(server.port, get(`/j/${server.code}`, host, origin));
      assert.equal(page.status, 421, `page for ${host}`);
      assert.doesNotMatch(page.headers.join('\n'), /evil\.example/i, 'the refused Host is not echoed');
      assert.match(page.body, /does not answer to that host name/);
      assert.equal((await exchange(server.port, upgrade(host, origin))).status, 421, `upgrade for ${host}`);
      const exported = await exchange(server.port, get(`/export/${server.code}.json`, host, `${origin}Authorization: Bearer ${server.presenterKey}\r\n`));
      assert.equal(exported.status, 421, `export for ${host}`);
    }
  });

  it('refuses look-alikes of its own names: another port, a suffix, a trailing dot', async () => {
    for (const host of [`127.0.0.1:${server.port + 1}`, `127.0.0.1.evil.example:${server.port}`, `localhost.:${server.port}`, `localhost.evil.example:${server.port}`]) {
      assert.equal((await exchange(server.port, get('/healthz', host))).status, 421, host);
      assert.equal((await exchange(server.port, upgrade(host))).status, 421, host);
    }
  });

  it('answers 127.0.0.1, localhost and [::1] with its port, the --public-url host and the --allow-origin host', async () => {
    for (const host of [local, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`, 'talk.example.org', 'proxy.example.org']) {
      assert.equal((await exchange(server.port, get(`/j/${server.code}`, host))).status, 200, host);
      assert.equal((await exchange(server.port, upgrade(host))).status, 101, host);
    }
  });

  it('prints links with the --public-url and writes only a Host it answers to into the CSP', async () => {
    assert.equal(server.urls.audience, `https://talk.example.org/j/${server.code}`);
    const page = await exchange(server.port, get(`/j/${server.code}`, `localhost:${server.port}`));
    const csp = page.headers.find((h) => /^content-security-policy:/i.test(h)) ?? '';
    assert.match(csp, new RegExp(`connect-src 'self' ws://localhost:${server.port} wss://localhost:${server.port};`));
  });
});

describe('Origins', () => {
  let server: RunningServer;
  let local: string;
  before(async () => {
    server = await startTestServer();
    local = `127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('refuses "null", prefix and user-info tricks and an origin with a mangled port with 403', async () => {
    const origins = [
      'null',
      `http://127.0.0.1.evil.example:${server.port}`,
      'http://localhost@evil.example',
      `http://127.0.0.1@evil.example:${server.port}`,
      `http://127.0.0.1:${server.port}.evil`,
      `http://127.0.0.1:${server.port}@evil.example`,
      `file://127.0.0.1:${server.port}`,
    ];
    for (const origin of origins) {
      assert.equal((await exchange(server.port, upgrade(local, `Origin: ${origin}\r\n`))).status, 403, origin);
    }
  });

  it('accepts its own page at 127.0.0.1 and at localhost', async () => {
    assert.equal((await exchange(server.port, upgrade(local, `Origin: http://${local}\r\n`))).status, 101);
    const named = `localhost:${server.port}`;
    assert.equal((await exchange(server.port, upgrade(named, `Origin: http://${named}\r\n`))).status, 101);
  });
});

describe('request heads', () => {
  let server: RunningServer;
  let local: string;
  before(async () => {
    server = await startTestServer();
    local = `127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  /** `n` more short header lines (the upgrade head already has 5, the GET head 2). */
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `x${i}: v\r\n`).join('');

  it(`takes ${MAX_HEADER_LINES} header lines and refuses one more with 431`, async () => {
    assert.equal((await exchange(server.port, upgrade(local, lines(MAX_HEADER_LINES - 5)))).status, 101);
    assert.equal((await exchange(server.port, upgrade(local, lines(MAX_HEADER_LINES - 4)))).status, 431);
    assert.equal((await exchange(server.port, get('/healthz', local, lines(MAX_HEADER_LINES - 2)))).status, 200);
    assert.equal((await exchange(server.port, get('/healthz', local, lines(MAX_HEADER_LINES - 1)))).status, 431);
  });

  it('refuses 1 500 tiny header lines (under the 8 KiB head limit) with 431', async () => {
    const tiny = Array.from({ length: 1500 }, () => 'a:\r\n').join('');
    assert.equal((await exchange(server.port, upgrade(local, tiny))).status, 431);
    assert.equal((await exchange(server.port, get('/healthz', local, tiny))).status, 431);
  });

  it('refuses a Sec-WebSocket-Protocol of 32 000 spaces with 431', async () => {
    assert.equal((await exchange(server.port, upgrade(local, `Sec-WebSocket-Protocol: ${' '.repeat(32_000)}\r\n`))).status, 431);
    assert.equal((await exchange(server.port, upgrade(local, `Sec-WebSocket-Protocol: ${' '.repeat(32_000)}chat\r\n`))).status, 431);
  });

  it('measures an upgrade after earlier requests on the same keep-alive connection by its own head', async () => {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    const until = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(text); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const padding = `x-pad: ${'p'.repeat(3000)}\r\n`;
    for (let i = 1; i <= 4; i++) {
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${local}\r\n${padding}\r\n`);
      await until(new RegExp(`(HTTP/1\\.1 200[^]*){${i}}`));
    }
    socket.write(upgrade(local, padding));
    await until(/HTTP\/1\.1 (101|4\d\d)/);
    socket.destroy();
    assert.equal(text.match(/HTTP\/1\.1 200/g)?.length, 4);
    assert.match(text, /HTTP\/1\.1 101/, 'four 3 KB requests before it do not count against the upgrade');
  });

  it('agrees to no subprotocol, whatever the client offers first', async () => {
    const r = await exchange(server.port, upgrade(local, 'Sec-WebSocket-Protocol: evil, chat\r\n'));
    assert.equal(r.status, 101);
    assert.equal(r.headers.filter((h) => /^sec-websocket-protocol:/i.test(h)).length, 0, r.headers.join('\n'));
  });
});
