/** Writes docs/asyncapi.json from the protocol contract (protocol/asyncapi.ts). `npm run protocol:doc`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asyncApiText } from '../protocol/asyncapi.ts';

const target = fileURLToPath(new URL('../docs/asyncapi.json', import.meta.url));
writeFileSync(target, asyncApiText());
process.stdout.write(`wrote ${target}\n`);
