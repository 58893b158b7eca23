#!/usr/bin/env node
// The `livedeck` command. From the package it runs the build (dist/livedeck.js, made by
// `npm run build` when packing) with node alone. In a checkout, where the TypeScript sources sit
// beside it and are what a developer means to run, it registers tsx in this same process (no
// wrapper process that could kill the server during its shutdown) and runs the sources.
import { existsSync } from 'node:fs';

const sources = new URL('../server/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/livedeck.js');
}
