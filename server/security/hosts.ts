import { hostname, networkInterfaces } from 'node:os';

/**
 * The Host headers this server answers to. A page on evil.example whose DNS name is rebound to
 * the laptop's address (DNS rebinding) reaches us with `Host: evil.example`, and its Origin then
 * matches that Host, so the Origin check alone lets it in. Answering only the names livedeck
 * serves on closes that: the machine's own addresses and loopback names with the port it
 * listens on, the bind host, the printed host, and the hosts of --public-url and --allow-origin.
 */
export interface HostAllowListOptions {
  /** The port the server listens on; local names are accepted with it. */
  port: number;
  /** Whether the server speaks https (443 is then the port a bare name implies, else 80). */
  tls: boolean;
  /** Names or addresses served on this port besides loopback and the interfaces (the bind host, the printed host). */
  names?: readonly string[];
  /** Public URLs or origins (scheme://host[:port]) whose host is accepted as it is: a reverse proxy forwards its own Host. */
  urls?: readonly string[];
}

/** Loopback names every machine answers to itself. */
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

/**
 * The machine's own name, bare and as mDNS announces it (`mylaptop.local`, which macOS and most
 * Linux desktops answer on the LAN): people type it. A rebinding page cannot use it, since it
 * only controls names under its own domain.
 */
function machineNames(): string[] {
  const name = hostname().toLowerCase();
  if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(name)) return [];
  return name.endsWith('.local') ? [name] : [name, `${name}.local`];
}

/** A new network address (a Wi-Fi change) is noticed at most this often, and only when a Host is unknown. */
const INTERFACE_REFRESH_MS = 1_000;

export class HostAllowList {
  private readonly fixed = new Set<string>();
  private interfaceHosts = new Set<string>();
  private interfacesReadAt = 0;

  constructor(private readonly options: HostAllowListOptions) {
    for (const name of [...LOOPBACK, ...machineNames(), ...(options.names ?? [])]) {
      for (const host of this.withPort(name)) this.fixed.add(host);
    }
    for (const url of options.urls ?? []) this.fixed.add(new URL(url).host.toLowerCase());
    this.readInterfaces(Date.now());
  }

  /** Whether a request's Host header names this server. A missing Host (HTTP/1.0) cannot be a rebinding: it is allowed. */
  allows(host: string | undefined): boolean {
    if (host === undefined) return true;
    const lower = host.toLowerCase();
    if (this.fixed.has(lower) || this.interfaceHosts.has(lower)) return true;
    // Only an address literal can be one of ours that appeared since: a name never is.
    if (!/^(?:[\d.]+|\[[\da-f:.]+\])(?::\d+)?$/.test(lower)) return false;
    const now = Date.now();
    if (now - this.interfacesReadAt < INTERFACE_REFRESH_MS) return false;
    this.readInterfaces(now);
    return this.interfaceHosts.has(lower);
  }

  private readInterfaces(now: number): void {
    this.interfacesReadAt = now;
    const hosts = new Set<string>();
    for (const list of Object.values(networkInterfaces())) {
      for (const net of list ?? []) {
        for (const host of this.withPort(net.address)) hosts.add(host);
      }
    }
    this.interfaceHosts = hosts;
  }

  /** `name` as a Host header carries it: IPv6 in brackets, with the port, and bare when the port is the scheme's default. */
  private withPort(name: string): string[] {
    const bare = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    const lower = bare.toLowerCase();
    const defaultPort = this.options.tls ? 443 : 80;
    const hosts = [`${lower}:${this.options.port}`];
    if (this.options.port === defaultPort) hosts.push(lower);
    return hosts;
  }
}
