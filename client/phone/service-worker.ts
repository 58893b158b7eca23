/**
 * The audience page's service worker (served at /audience-sw.js, scope /j/): a phone that reloads
 * the page with no network still gets the deck, from the copies kept here.
 *
 * Never a stale deck while the network works: the page, the theme and the deck's files are fetched
 * from the server first and the cache is only the fallback (the page holds the deck's slides, and
 * the speaker may restart with a changed deck). Bundles under /assets/ carry their content hash in
 * the URL, so a cached copy is the same bytes the server would send and is served first.
 * Video and audio are left to the network: they are large and fetched in ranges.
 *
 * Built on its own (server/assets/bundle.ts) as a classic script. lib.dom has no service worker
 * types, so the few used here are declared below.
 */

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface WorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const CACHE = 'livedeck-audience-1';
/** A page that has not answered by then is treated as unreachable (dead venue Wi-Fi often hangs rather than fails). */
const PAGE_TIMEOUT_MS = 5000;
/** What the audience page loads from its own server; anything else passes through untouched. */
const KEPT = /^\/(?:j\/|assets\/|theme\/|deck\/|favicon\.ico$)/;

scope.addEventListener('install', () => void scope.skipWaiting());
// The page that registered the worker is served from the cache on its next reload, without waiting for a second visit.
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin || !KEPT.test(url.pathname)) return;
  event.respondWith(url.pathname.startsWith('/assets/') ? cacheFirst(request) : networkFirst(request));
});

/**
 * The page asks for what it loaded before this worker controlled it (its first visit), so that
 * a reload with no network finds it all; it is answered on the port once all of it is kept.
 */
scope.addEventListener('message', (event) => {
  const urls = keepRequest(event.data);
  if (!urls) return;
  event.waitUntil(
    Promise.all(urls.map((url) => refresh(new Request(url)).catch(() => null))).then((kept) => {
      event.ports[0]?.postMessage({ type: 'kept', count: kept.filter(Boolean).length });
    }),
  );
});

function keepRequest(data: unknown): string[] | null {
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== 'keep') return null;
  const urls = (data as { urls?: unknown }).urls;
  if (!Array.isArray(urls)) return null;
  return urls.filter((u): u is string => {
    if (typeof u !== 'string') return false;
    const url = new URL(u, scope.location.href);
    return url.origin === scope.location.origin && KEPT.test(url.pathname);
  }).slice(0, 200);
}

async function cacheFirst(request: Request): Promise<Response> {
  const hit = await caches.match(request, { ignoreVary: true });
  return hit ?? refresh(request);
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await withTimeout(refresh(request), request.mode === 'navigate' ? PAGE_TIMEOUT_MS : 0);
  } catch (err) {
    const hit = await caches.match(request, { ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

/** Fetches from the network and keeps a copy of a whole, successful, non-media answer. */
async function refresh(request: Request): Promise<Response> {
  const response = await fetch(request);
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 200 && !/^(?:video|audio)\//.test(type)) {
    const copy = response.clone();
    const cache = await caches.open(CACHE);
    await cache.put(request, copy);
  }
  return response;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the network did not answer in time')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
