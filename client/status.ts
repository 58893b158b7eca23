import type { ConnectionStatus } from './connection.ts';
import { el } from './dom.ts';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  disconnected: 'Reconnecting…',
};

/** A small dot with an accessible label: green live, amber connecting, red reconnecting. */
export function statusDot(): { element: HTMLElement; set(status: ConnectionStatus): void } {
  const element = el('span', { className: 'ld-status', attrs: { role: 'status', 'data-status': 'connecting', title: LABELS.connecting } });
  const label = el('span', { className: 'ld-status-label', text: LABELS.connecting });
  element.append(el('span', { className: 'ld-status-dot', attrs: { 'aria-hidden': 'true' } }), label);
  return {
    element,
    set(status) {
      element.dataset.status = status;
      element.title = LABELS[status];
      label.textContent = LABELS[status];
    },
  };
}
