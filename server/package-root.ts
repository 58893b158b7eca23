import { fileURLToPath } from 'node:url';

/**
 * The package's folder (package.json, slides/, dist/). This file sits one level below it, and so
 * does the built server (dist/livedeck.js), into which esbuild folds this module: the same
 * relative URL is right from the sources and from the build.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
