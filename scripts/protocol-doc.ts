/**
 * Writes docs/asyncapi.json and the examples block of docs/protocol.md from the protocol
 * contract (protocol/asyncapi.ts). `npm run protocol:doc`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asyncApiText, withExamples } from '../protocol/asyncapi.ts';

const asyncapi = fileURLToPath(new URL('../docs/asyncapi.json', import.meta.url));
writeFileSync(asyncapi, asyncApiText());
const prose = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));
writeFileSync(prose, withExamples(readFileSync(prose, 'utf8')));
process.stdout.write(`wrote ${asyncapi} and the examples in ${prose}\n`);
