import { networkInterfaces } from 'node:os';

/**
 * The address phones in the room can reach: the first non-internal IPv4 address, else
 * localhost. Phones cannot open "localhost", so printing it would be a trap.
 */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) {
      if (net.family === 'IPv4' && !net.internal) return net.address;
    }
  }
  return 'localhost';
}

/** The host to put in printed URLs for a server bound to `bindHost`. */
export function publicHost(bindHost: string | undefined): string {
  if (!bindHost || bindHost === '0.0.0.0' || bindHost === '::') return lanAddress();
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}
