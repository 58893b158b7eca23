const KEY = 'livedeck.participant';

/** crypto.randomUUID needs a secure context; phones on http://<LAN address> are not one. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A stable anonymous id for this browser, so a reload is the same person (one vote, own questions). */
export function participantId(): string {
  try {
    const existing = localStorage.getItem(KEY);
    if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
    const fresh = randomId();
    localStorage.setItem(KEY, fresh);
    return fresh;
  } catch {
    // Private modes may refuse storage; the id then lasts as long as the page.
    return randomId();
  }
}
