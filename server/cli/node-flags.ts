import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The published command; its first line says which node flags livedeck runs with. */
export const COMMAND_FILE = fileURLToPath(new URL('../../bin/livedeck.mjs', import.meta.url));

/**
 * The node flags on the command's `#!/usr/bin/env -S node …` line. They are read from that one
 * line so that whatever starts livedeck another way (a test's child process, `npm run bench`)
 * starts it as `npx livedeck` would.
 */
export function commandNodeFlags(file: string = COMMAND_FILE): string[] {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node((?:\s+--[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (!match) throw new Error(`${file} does not start with "#!/usr/bin/env -S node [--flags]": ${first}`);
  return match[1]!.split(/\s+/).filter(Boolean);
}
