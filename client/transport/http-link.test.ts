import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FALLBACK_LIMITS, FALLBACK_PATHS } from '../../protocol/transport.ts';
import { HttpLink } from './http-link.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('HttpLink', () => {
  it('keeps every POST body within maxBodyBytes counted in UTF-8 bytes, as the server counts them', async () => {
    const bodies: string[] = [];
    let releaseFirst: () => void = () => {};
    globalThis.fetch = ((input: string | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.includes(FALLBACK_PATHS.session)) {
        return Promise.resolve(new Response(JSON.stringify({ session: 's1', pollWaitMs: 20_000, maxBodyBytes: FALLBACK_LIMITS.maxBodyBytes }), { status: 201 }));
      }
      if (url.includes(FALLBACK_PATHS.send)) {
        bodies.push(String(init?.body));
        // The first POST stays out until everything is queued, so the rest leave in batches.
        if (bodies.length === 1) return new Promise<Response>((resolve) => (releaseFirst = () => resolve(new Response(null, { status: 204 }))));
        return Promise.resolve(new Response(null, { status: 204 }));
      }
      // A poll that waits until the link is closed.
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }) as typeof fetch;

    let link!: HttpLink;
    await new Promise<void>((resolve) => {
      link = new HttpLink('poll', 'http://livedeck.test', { open: resolve, message: () => {}, close: () => {} });
    });
    link.send('{"type":"hello"}');
    // 1000 UTF-16 units, 2000 UTF-8 bytes each: counting string.length would put 16 in one 32 KB body.
    const message = JSON.stringify({ type: 'question', text: 'é'.repeat(990) });
    for (let i = 0; i < 40; i++) assert.equal(link.send(message), true);
    releaseFirst();
    while (bodies.join('\n').split('\n').length < 41) await new Promise((resolve) => setTimeout(resolve, 1));
    link.close();

    for (const body of bodies) assert.ok(Buffer.byteLength(body, 'utf8') <= FALLBACK_LIMITS.maxBodyBytes, `a body of ${Buffer.byteLength(body, 'utf8')} bytes`);
    assert.equal(bodies.join('\n').split('\n').length, 41);
  });
});
