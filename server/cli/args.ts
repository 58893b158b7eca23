import { parseArgs } from 'node:util';

export interface CliOptions {
  deck: string;
  port: number;
  host: string | undefined;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: livedeck [deck] [options]

Serves a reveal.js deck (Markdown, HTML, or a folder holding one) and keeps every
phone in the room on the presenter's slide. Without a deck, the bundled demo talk.

Options:
  --port <n>     port to listen on (default 8080)
  --host <addr>  address to bind (default: all interfaces)
  --help         show this help
  --version      print the version`;

/** Parses argv (without node and script). Throws UsageError with a one-line message. */
export function parseCli(argv: string[], defaultDeck: string): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError(firstLine(err instanceof Error ? err.message : String(err)));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Expected one deck, got ${positionals.length}: ${positionals.join(' ')}`);
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}".`);
  return {
    deck: positionals[0] ?? defaultDeck,
    port,
    host: values.host,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/\. To specify a positional argument.*$/, '.');
}
