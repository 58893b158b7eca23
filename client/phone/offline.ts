/**
 * Lets the audience page open with no network: registers the service worker
 * (client/phone/service-worker.ts) and hands it what this first visit loaded before the worker
 * controlled the page. `body[data-offline="ready"]` says it is all kept.
 *
 * Service workers exist only in secure contexts: on https (--cert/--key) or localhost. A phone on
 * plain http over the LAN has none, and a reload without network fails there as before; the last
 * slide is still remembered (client/phone/last-state.ts) for when the page does load.
 */
export const SERVICE_WORKER_URL = '/audience-sw.js';
export const SERVICE_WORKER_SCOPE = '/j/';

export function keepForOffline(): void {
  if (!('serviceWorker' in navigator)) return;
  // Read now: once registered, the worker claims this page, but what the page loaded before that passed it by.
  const controlled = navigator.serviceWorker.controller !== null;
  // After the page has loaded: the worker's own download never competes with the first slide's.
  const start = () => void register(controlled);
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

async function register(controlled: boolean): Promise<void> {
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    // A page the worker controlled from the start had every file go through it, and kept.
    if (!worker || controlled) {
      if (worker) document.body.dataset.offline = 'ready';
      return;
    }
    const urls = [location.href, ...performance.getEntriesByType('resource').map((entry) => entry.name)].filter(
      (url) => new URL(url).origin === location.origin,
    );
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      document.body.dataset.offline = 'ready';
      channel.port1.close();
    };
    worker.postMessage({ type: 'keep', urls }, [channel.port2]);
  } catch (err) {
    console.warn('livedeck: this page will not open without network', err);
  }
}
