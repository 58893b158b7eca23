/**
 * The chat wall on the projector: the room's chat lines in a column, shown while the presenter
 * has it on (for the whole talk, or only on one slide). Lines the moderator deletes vanish.
 * Every line is text (textContent), never markup.
 */
import './live.css';
import type { ServerMessage } from '../../protocol/messages.ts';
import { LIVE_LIMITS, sameSlide, type SlideKey } from '../../protocol/live.ts';
import type { ChatLine } from '../../protocol/qa.ts';
import { el } from '../dom.ts';

export class ChatWall {
  readonly element: HTMLDivElement;
  private readonly list: HTMLDivElement;
  private on = false;
  private slide: SlideKey | null = null;

  constructor(
    private readonly shown: () => SlideKey,
    joinHint: string,
  ) {
    this.list = el('div', { className: 'ld-wall-lines' });
    this.element = el('div', { className: 'ld-wall', attrs: { hidden: '', 'aria-live': 'polite', 'aria-label': 'Chat' } }, [
      el('div', { className: 'ld-wall-title', text: `Chat · ${joinHint}` }),
      this.list,
    ]);
    this.list.style.display = 'contents';
  }

  receive(message: ServerMessage): void {
    switch (message.type) {
      case 'wall_state':
        this.on = message.on;
        this.slide = message.slide;
        if (message.lines) {
          this.list.replaceChildren();
          for (const line of message.lines) this.append(line);
        }
        this.update();
        break;
      case 'chat_line':
        if (!this.list.querySelector(`[data-id="${CSS.escape(message.line.id)}"]`)) this.append(message.line);
        break;
      case 'chat_removed':
        this.list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)?.remove();
        break;
      default:
        break;
    }
  }

  /** Shown or hidden for the slide on screen now. */
  update(): void {
    this.element.hidden = !(this.on && (this.slide === null || sameSlide(this.slide, this.shown())));
  }

  private append(line: ChatLine): void {
    const children: Node[] = [];
    if (line.name) children.push(el('span', { className: 'ld-wall-name', text: line.name }));
    children.push(document.createTextNode(line.text));
    this.list.append(el('div', { className: 'ld-wall-line', attrs: { 'data-id': line.id } }, children));
    while (this.list.childElementCount > LIVE_LIMITS.wallLines) this.list.firstElementChild?.remove();
  }
}
