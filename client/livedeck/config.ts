/**
 * Where a deck hosted elsewhere finds its talk: `Reveal.initialize({ livedeck: { server, talk } })`,
 * where `server` may also be a livedeck link (`https://host/j/K7P4QX`), and the presenter key
 * from the page's own fragment (`#key=…`), which browsers never send to any server.
 */
import { socketUrl } from '../connection.ts';

export interface LiveDeckTarget {
  /** ws(s)://host/ws of the livedeck server. */
  socket: string;
  /** The join code. */
  talk: string;
  /** The presenter key: with it this deck drives the talk, without it it follows. */
  key: string | null;
}

/** A link's path names the talk: /j/CODE, /screen/CODE, /presenter/CODE. */
const TALK_PATH = /^\/(?:j|screen|presenter)\/([A-Za-z0-9-]+)\/?$/;

export function liveDeckTarget(config: unknown, scriptSrc: string | null, pageHash: string): LiveDeckTarget | { error: string } {
  const options = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const serverText = typeof options.server === 'string' ? options.server : typeof options.url === 'string' ? options.url : scriptSrc;
  if (!serverText) return { error: 'livedeck: set livedeck.server in Reveal.initialize (the livedeck address).' };
  let server: URL;
  try {
    server = new URL(serverText, scriptSrc ?? undefined);
  } catch {
    return { error: `livedeck: "${serverText}" is not a URL.` };
  }
  if (server.protocol !== 'http:' && server.protocol !== 'https:') return { error: `livedeck: "${serverText}" is not an http(s) address.` };
  const fromPath = TALK_PATH.exec(server.pathname)?.[1];
  const talk = typeof options.talk === 'string' ? options.talk : fromPath;
  if (!talk) return { error: 'livedeck: set livedeck.talk in Reveal.initialize (the join code), or give the join link as livedeck.server.' };
  const key = hashKey(pageHash) ?? hashKey(server.hash) ?? (typeof options.key === 'string' && options.key ? options.key : null);
  return { socket: socketUrl(server), talk, key };
}

function hashKey(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('key') || null;
}
