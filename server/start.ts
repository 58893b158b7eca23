import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import QRCode from 'qrcode';
import { bundleAssets } from './assets/bundle.ts';
import { loadTheme } from './assets/themes.ts';
import type { Deck } from './deck/index.ts';
import { createApp } from './http/app.ts';
import { publicHost } from './net.ts';
import { TalkHost } from './relay/host.ts';
import { Relay } from './relay/relay.ts';
import { hashSecret, mintJoinCode, mintSecret } from './talk/secrets.ts';
import { MemoryStore } from './store/memory.ts';
import type { Store } from './store/types.ts';
import { Talk } from './talk/talk.ts';

export interface ServerOptions {
  deck: Deck;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Host put into printed URLs; defaults to the LAN address. */
  publicHost?: string;
  heartbeatMs?: number;
  code?: string;
  presenterKey?: string;
  /** Where talks and their events are kept; in memory when omitted. */
  store?: Store;
}

export interface RunningServer {
  port: number;
  code: string;
  presenterKey: string;
  urls: { audience: string; screen: string; presenter: string; base: string };
  relay: Relay;
  http: Server;
  close(): Promise<void>;
}

export class StartError extends Error {}

/** Builds everything and listens. The caller (an entry file or a test) owns the process. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { deck } = options;
  const code = options.code ?? mintJoinCode();
  const presenterKey = options.presenterKey ?? mintSecret();
  const [assets, theme] = await Promise.all([bundleAssets(), loadTheme(deck.theme)]);
  if (!theme) throw new StartError(`Unknown theme "${deck.theme}".`);

  const store = options.store ?? new MemoryStore();
  const talk = new Talk({
    code,
    presenterKeyHash: hashSecret(presenterKey),
    info: { title: deck.title, stacks: deck.stacks },
    notes: deck.notes,
    store,
  });
  talk.replay();
  const relay = new Relay(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs });
  relay.addTalk(new TalkHost(talk));

  const http = createServer();
  await listen(http, options.port, options.host);
  const port = (http.address() as AddressInfo).port;
  const base = `http://${options.publicHost ?? publicHost(options.host)}:${port}`;
  const urls = {
    base,
    audience: `${base}/j/${code}`,
    screen: `${base}/screen/${code}`,
    // The key travels in the fragment, which browsers never send to the server or to proxies.
    presenter: `${base}/presenter/${code}#key=${presenterKey}`,
  };

  const app = createApp({
    code,
    title: deck.title,
    deckHtml: deck.html,
    deckDir: deck.dir,
    joinUrl: urls.audience,
    assets,
    theme,
    themeName: deck.theme,
    qrSvg: await QRCode.toString(urls.audience, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
  });
  http.on('request', getRequestListener(app.fetch));
  relay.attach(http);

  let closing: Promise<void> | null = null;
  return {
    port,
    code,
    presenterKey,
    urls,
    relay,
    http,
    close() {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        await relay.close();
        http.closeAllConnections();
        await httpClosed;
        store.close();
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartError(`Port ${port} is already in use. Try --port ${port + 1}.`));
      else if (err.code === 'EACCES') reject(new StartError(`Not allowed to listen on port ${port}. Try a port above 1024.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartError(`Cannot listen on host ${host}.`));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
