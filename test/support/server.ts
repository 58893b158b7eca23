import { fileURLToPath } from 'node:url';
import { loadDeck } from '../../server/deck/index.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../server/start.ts';

export const SMALL_DECK = fileURLToPath(new URL('../fixtures/small.md', import.meta.url));

/** A real livedeck server on a free loopback port, with the small fixture deck by default. */
export async function startTestServer(options: Partial<ServerOptions> & { deckPath?: string } = {}): Promise<RunningServer> {
  const { deckPath, ...rest } = options;
  const deck = rest.deck ?? (await loadDeck(deckPath ?? SMALL_DECK));
  return startServer({ port: 0, host: '127.0.0.1', publicHost: '127.0.0.1', ...rest, deck });
}
