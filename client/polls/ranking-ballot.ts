/**
 * A ranking on a phone: the options as a list to put in order, best first. Three ways, all
 * usable with a thumb: tap an option then tap the place it should go; the ▲ ▼ buttons; or drag
 * an option by its handle (pointer events, so mouse, pen and touch alike). Nothing is sent until
 * "Send ranking".
 */
import type { BallotValue, PollView } from '../../protocol/polls.ts';
import './quiz.css';
import { el } from '../dom.ts';

/**
 * The order being arranged and the option picked, per poll: the sheet is drawn again whenever
 * results arrive, and someone halfway through arranging must not lose their order.
 */
const drafts = new Map<string, { order: number[]; picked: number | null }>();

export function renderRanking(view: PollView, mine: BallotValue | undefined, vote: (value: BallotValue) => void): HTMLElement {
  const n = view.poll.options.length;
  const start = mine && 'choices' in mine && mine.choices.length === n ? mine.choices : view.poll.options.map((_, i) => i);
  const draft = drafts.get(view.poll.id) ?? { order: [...start], picked: null };
  drafts.set(view.poll.id, draft);
  const order = draft.order;
  let picked = draft.picked;
  const list = el('ol', { className: 'ld-rank-list', attrs: { 'aria-label': `${view.poll.question}: best first` } });
  const hint = el('p', { className: 'ld-ballot-hint', text: 'Tap an option, then tap where it goes. Or drag ≡, or use ▲ ▼.' });
  const send = el('button', { className: 'ld-ballot-send ld-rank-send', text: mine ? 'Change ranking' : 'Send ranking', attrs: { type: 'button' } });
  send.addEventListener('click', () => vote({ choices: [...order] }));

  const move = (from: number, to: number) => {
    if (from === to || to < 0 || to >= n) return;
    const [option] = order.splice(from, 1);
    order.splice(to, 0, option!);
    picked = null;
    draw();
  };

  function draw(): void {
    draft.picked = picked;
    list.replaceChildren(
      ...order.map((option, place) => {
        const item = el('li', {
          className: `ld-rank-item${picked === place ? ' ld-picked' : ''}`,
          attrs: { 'data-index': String(option), 'data-place': String(place) },
        });
        const handle = el('span', { className: 'ld-rank-handle', text: '≡', attrs: { 'aria-hidden': 'true' } });
        const label = el('button', {
          className: 'ld-rank-label',
          text: `${place + 1}. ${view.poll.options[option] ?? ''}`,
          attrs: { type: 'button', 'aria-pressed': String(picked === place) },
        });
        label.addEventListener('click', () => {
          if (picked === null) {
            picked = place;
            draw();
          } else if (picked === place) {
            picked = null;
            draw();
          } else move(picked, place);
        });
        const up = el('button', { className: 'ld-rank-move', text: '▲', attrs: { type: 'button', 'aria-label': `Move ${view.poll.options[option]} up` } });
        const down = el('button', { className: 'ld-rank-move', text: '▼', attrs: { type: 'button', 'aria-label': `Move ${view.poll.options[option]} down` } });
        up.disabled = place === 0;
        down.disabled = place === n - 1;
        up.addEventListener('click', () => move(place, place - 1));
        down.addEventListener('click', () => move(place, place + 1));
        dragFrom(handle, item, place);
        item.append(handle, label, up, down);
        return item;
      }),
    );
  }

  /** Dragging the handle: the item follows the finger; dropped, it takes the place under it. */
  function dragFrom(handle: HTMLElement, item: HTMLElement, place: number): void {
    handle.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      item.classList.add('ld-dragging');
      const startY = down.clientY;
      const onMove = (e: PointerEvent) => {
        item.style.transform = `translateY(${e.clientY - startY}px)`;
      };
      const onUp = (e: PointerEvent) => {
        handle.removeEventListener('pointermove', onMove);
        handle.removeEventListener('pointerup', onUp);
        handle.removeEventListener('pointercancel', onUp);
        item.classList.remove('ld-dragging');
        item.style.transform = '';
        move(place, dropPlace(e.clientY));
      };
      handle.addEventListener('pointermove', onMove);
      handle.addEventListener('pointerup', onUp);
      handle.addEventListener('pointercancel', onUp);
    });
  }

  /** The place whose middle is nearest the pointer. */
  function dropPlace(y: number): number {
    let best = 0;
    let distance = Infinity;
    [...list.children].forEach((child, i) => {
      const box = child.getBoundingClientRect();
      const d = Math.abs(box.top + box.height / 2 - y);
      if (d < distance) {
        distance = d;
        best = i;
      }
    });
    return best;
  }

  draw();
  return el('div', { className: 'ld-ballot ld-ballot-ranking' }, [hint, list, send]);
}
