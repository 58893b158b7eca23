import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname, networkInterfaces } from 'node:os';
import { HostAllowList } from './hosts.ts';

describe('HostAllowList', () => {
  it('answers loopback names and the given names with the port, in any case', () => {
    const hosts = new HostAllowList({ port: 8080, tls: false, names: ['talk.local'] });
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LocalHost:8080', 'talk.local:8080']) assert.equal(hosts.allows(host), true, host);
    for (const host of ['localhost', 'localhost:8081', 'talk.local', 'evil.example:8080', 'localhost.:8080', '127.0.0.1.evil.example:8080', '']) {
      assert.equal(hosts.allows(host), false, host);
    }
  });

  it('answers bare names on the default port of its scheme only', () => {
    assert.equal(new HostAllowList({ port: 80, tls: false }).allows('localhost'), true);
    assert.equal(new HostAllowList({ port: 443, tls: true }).allows('localhost'), true);
    assert.equal(new HostAllowList({ port: 443, tls: false }).allows('localhost'), false);
  });

  it('answers the hosts of public URLs as written, whatever port it listens on', () => {
    const hosts = new HostAllowList({ port: 8080, tls: false, urls: ['https://talk.example.org', 'http://proxy.example.org:8443'] });
    assert.equal(hosts.allows('talk.example.org'), true);
    assert.equal(hosts.allows('proxy.example.org:8443'), true);
    assert.equal(hosts.allows('talk.example.org:8080'), false);
    assert.equal(hosts.allows('proxy.example.org'), false);
  });

  it("answers the machine's own addresses, IPv6 in brackets", () => {
    const hosts = new HostAllowList({ port: 8080, tls: false });
    for (const net of Object.values(networkInterfaces()).flat()) {
      if (!net) continue;
      const host = net.family === 'IPv6' ? `[${net.address}]:8080` : `${net.address}:8080`;
      assert.equal(hosts.allows(host), true, host);
    }
  });

  it("answers the machine's own name, bare and as mDNS announces it", () => {
    const hosts = new HostAllowList({ port: 8080, tls: false });
    const name = hostname().toLowerCase();
    assert.equal(hosts.allows(`${name}:8080`), true);
    assert.equal(hosts.allows(`${name.replace(/\.local$/, '')}.local:8080`), true);
    assert.equal(hosts.allows(`${name}.evil.example:8080`), false);
  });

  it('lets a request without Host through: it cannot come from a rebound name', () => {
    assert.equal(new HostAllowList({ port: 8080, tls: false }).allows(undefined), true);
  });
});
