/**
 * Live presenting on a phone: drawings and the pointer over the slide the phone shows, and media
 * following the presenter muted, with one tap for sound.
 */
import './live.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { RevealDeck } from '../deck-state.ts';
import { el } from '../dom.ts';
import { ServerClock } from './clock.ts';
import { InkLayer } from './ink-layer.ts';
import { MediaFollower } from './media.ts';

export function mountLiveAudience(options: { deck: RevealDeck }): { receive(message: ServerMessage): void } {
  const ink = new InkLayer(options.deck);
  const unmute = el('button', { className: 'ld-unmute', text: 'Tap for sound', attrs: { type: 'button', hidden: '' } });
  document.body.append(unmute);
  const media = new MediaFollower({
    deck: options.deck,
    clock: new ServerClock(),
    startMuted: true,
    onChange: (element, blocked) => {
      // Offered while something on this slide plays (or wants to) without sound.
      const playing = element !== null && !element.paused && options.deck.getCurrentSlide() === element.closest('section');
      unmute.hidden = !(element !== null && (blocked || (playing && element.muted)));
      unmute.textContent = blocked ? '▶ Tap to play' : 'Tap for sound';
    },
  });
  unmute.addEventListener('click', () => {
    unmute.hidden = true;
    media.unmute();
  });
  return {
    receive(message) {
      ink.receive(message);
      media.receive(message);
    },
  };
}
