import QRCode from 'qrcode';
import type { RunningServer } from '../start.ts';

/**
 * What the speaker sees in the terminal. The presenter line is the only place the key is
 * ever printed; it goes to the terminal, not to a log file.
 */
export async function banner(server: RunningServer, title: string, outsideUrls: readonly string[] = []): Promise<string> {
  const qr = await QRCode.toString(server.urls.audience, { type: 'terminal', small: true });
  const code = `${server.code.slice(0, 3)}-${server.code.slice(3)}`;
  return [
    `livedeck: "${title}"`,
    `Audience: ${server.urls.audience}`,
    `Screen: ${server.urls.screen}`,
    `Presenter: ${server.urls.presenter}`,
    `Moderator: ${server.urls.moderator}`,
    `Join code: ${code}  (or open ${server.urls.base} and type it)`,
    ...outsideLines(outsideUrls),
    '',
    qr,
    'Keep the Presenter link to yourself: it moves everyone\'s slides. Give the Moderator link only to whoever moderates questions and chat. Ctrl+C stops.',
  ].join('\n');
}

/** How many outside URLs are named before "and N more". */
const SHOWN_URLS = 3;

/**
 * The deck's assets on other hosts, said before the talk: on a venue network without internet
 * these stay blank on the phones. Nothing is printed when the deck needs none.
 */
export function outsideLines(urls: readonly string[]): string[] {
  if (urls.length === 0) return [];
  const shown = urls.slice(0, SHOWN_URLS).join(', ');
  const more = urls.length > SHOWN_URLS ? ` and ${urls.length - SHOWN_URLS} more` : '';
  return [`Phones will need internet for: ${shown}${more}`];
}
