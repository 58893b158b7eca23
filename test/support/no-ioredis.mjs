/**
 * `node --import ./test/support/no-ioredis.mjs …`: any attempt to load ioredis throws, through
 * `import` (an ESM resolve hook) or `require` (CommonJS resolution), so a process that starts
 * with this proves it does not need ioredis.
 */
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const IOREDIS = /^ioredis(\/|$)/;
const refuse = (specifier) => new Error(`no-ioredis: "${specifier}" was loaded, but single-node mode must not need ioredis`);

// Module hooks run on their own thread, where this same file is loaded again to find `resolve`.
if (isMainThread) {
  register(import.meta.url);
  const Module = createRequire(import.meta.url)('node:module');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (IOREDIS.test(request)) throw refuse(request);
    return resolveFilename.call(this, request, ...rest);
  };
}

export async function resolve(specifier, context, nextResolve) {
  if (IOREDIS.test(specifier)) throw refuse(specifier);
  return nextResolve(specifier, context);
}
