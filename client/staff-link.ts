/**
 * Staff pages (presenter, moderator) carry their key in the URL fragment, which browsers never
 * send to the server or to proxies. These read it and word the banner for a link that fails.
 */
export function staffKey(loc: Location = location): string {
  return new URLSearchParams(loc.hash.slice(1)).get('key') ?? '';
}

export function badLinkMessage(label: 'Presenter' | 'Moderator', key: string): string {
  return key
    ? `This ${label.toLowerCase()} link is not valid for this talk. Use the ${label} link printed when livedeck started.`
    : `This page needs the ${label} link printed when livedeck started (it ends in #key=…).`;
}
