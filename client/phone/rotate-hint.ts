/**
 * A wide slide fills a quarter of a portrait phone: people are told, once, that turning the phone
 * makes it bigger. Shown only in portrait with a deck wider than tall, gone when they dismiss it,
 * turn the phone or after a while, and never shown again on that phone (localStorage).
 */
import type { RevealDeck } from '../deck-state.ts';
import { el } from '../dom.ts';
import './rotate-hint.css';

const SEEN_KEY = 'livedeck:rotate-hint-seen';
/** Long enough to read twice; it is a hint, not a message anyone must act on. */
const SHOW_FOR_MS = 12_000;

export function mountRotateHint(deck: RevealDeck): void {
  const size = deck.getComputedSlideSize();
  const wide = typeof size.width === 'number' && typeof size.height === 'number' && size.width > size.height * 1.1;
  const portrait = matchMedia('(orientation: portrait)');
  if (!wide || !portrait.matches || seen()) return;
  const dismiss = el('button', { className: 'ld-rotate-dismiss', text: '×', attrs: { type: 'button', 'aria-label': 'Dismiss the hint' } });
  const hint = el('div', { className: 'ld-rotate-hint', attrs: { role: 'note' } }, [
    el('span', { className: 'ld-rotate-icon', text: '⟳', attrs: { 'aria-hidden': 'true' } }),
    el('span', { text: 'Turn your phone sideways for bigger slides' }),
    dismiss,
  ]);
  document.body.append(hint);
  markSeen();
  const timer = setTimeout(() => close(), SHOW_FOR_MS);
  const onTurn = () => {
    if (!portrait.matches) close();
  };
  function close(): void {
    clearTimeout(timer);
    portrait.removeEventListener('change', onTurn);
    hint.remove();
  }
  dismiss.addEventListener('click', close);
  portrait.addEventListener('change', onTurn);
}

function seen(): boolean {
  try {
    return localStorage.getItem(SEEN_KEY) !== null;
  } catch (err) {
    console.warn('livedeck: could not read whether the rotate hint was shown', err);
    return false;
  }
}

function markSeen(): void {
  try {
    localStorage.setItem(SEEN_KEY, '1');
  } catch (err) {
    console.warn('livedeck: could not remember that the rotate hint was shown', err);
  }
}
