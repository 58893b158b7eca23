/**
 * Says where the deck is to a screen reader: "Slide 3 of 12: Title" in a polite live region
 * after each slide change, whether the speaker or the person moved it.
 *
 * reveal.js has its own live region (.aria-status) that reads out the whole slide, fragments
 * included; left on, every change would be said twice, the second time as a wall of text. It is
 * silenced, and the slide itself stays readable in the page for whoever wants its content.
 */
import type { RevealDeck } from '../deck-state.ts';
import { el } from '../dom.ts';
import './announcer.css';

export function mountSlideAnnouncer(deck: RevealDeck): void {
  const region = el('div', { className: 'ld-sr-only ld-announcer', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  document.body.append(region);
  deck.getRevealElement()?.querySelector('.aria-status')?.setAttribute('aria-live', 'off');
  const announce = () => {
    region.textContent = slideAnnouncement(deck);
  };
  deck.on('slidechanged', announce);
  if (deck.isReady()) announce();
  else deck.on('ready', announce);
}

/** "Slide 3 of 12: Title", the title being the slide's first heading (none: just the position). */
export function slideAnnouncement(deck: Pick<RevealDeck, 'getSlidePastCount' | 'getTotalSlides' | 'getCurrentSlide'>): string {
  const where = `Slide ${deck.getSlidePastCount() + 1} of ${deck.getTotalSlides()}`;
  const heading = deck.getCurrentSlide()?.querySelector('h1, h2, h3, h4, h5, h6');
  const title = heading?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return title ? `${where}: ${title}` : where;
}
