import { el } from '../dom.ts';
import './slow-count.css';

export interface SlowCount {
  /** Phones on a fallback transport (presence.slow); hidden at 0. */
  set(slow: number): void;
}

/** "· 3 slow-mode" after the console's audience count: how many phones reach it without a WebSocket. */
export function mountSlowCount(count: HTMLElement): SlowCount {
  const label = el('span', {
    className: 'ld-slow',
    attrs: { hidden: '', title: 'Phones connected without WebSockets (a proxy or network blocks them): a little slower, but following' },
  });
  count.parentElement?.append(label);
  return {
    set(slow) {
      label.hidden = slow === 0;
      label.textContent = ` · ${slow} slow-mode`;
    },
  };
}
