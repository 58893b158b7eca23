/** Live presenting on the projector: drawings and the pointer, media with sound, the chat wall. */
import './live.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import type { RevealDeck } from '../deck-state.ts';
import { ServerClock } from './clock.ts';
import { InkLayer } from './ink-layer.ts';
import { MediaFollower } from './media.ts';
import { ChatWall } from './wall.ts';

export function mountLiveScreen(options: { deck: RevealDeck; joinUrl: string }): { receive(message: ServerMessage): void } {
  const ink = new InkLayer(options.deck);
  const media = new MediaFollower({ deck: options.deck, clock: new ServerClock(), startMuted: false });
  const wall = new ChatWall(() => ink.shown(), options.joinUrl.replace(/^https?:\/\//, ''));
  document.body.append(wall.element);
  options.deck.on('slidechanged', () => wall.update());
  return {
    receive(message) {
      ink.receive(message);
      media.receive(message);
      wall.receive(message);
    },
  };
}
