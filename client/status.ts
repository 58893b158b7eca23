import type { ConnectionStatus } from './connection.ts';
import { el } from './dom.ts';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  disconnected: 'Reconnecting…',
};

export interface StatusDot {
  element: HTMLElement;
  set(status: ConnectionStatus): void;
  /**
   * A connected link is not enough to say "Live": when phones are not where this page is, the
   * label says so in place of "Live" until `alert(null)`.
   */
  alert(text: string | null): void;
}

/** A small dot with an accessible label: green live, amber connecting, red reconnecting or out of sync. */
export function statusDot(): StatusDot {
  const element = el('span', { className: 'ld-status', attrs: { role: 'status', 'data-status': 'connecting', title: LABELS.connecting } });
  const label = el('span', { className: 'ld-status-label', text: LABELS.connecting });
  element.append(el('span', { className: 'ld-status-dot', attrs: { 'aria-hidden': 'true' } }), label);
  let status: ConnectionStatus = 'connecting';
  let alert: string | null = null;
  const show = () => {
    element.dataset.status = status;
    if (alert === null) delete element.dataset.alert;
    else element.dataset.alert = 'true';
    const text = status === 'connected' && alert !== null ? alert : LABELS[status];
    element.title = text;
    label.textContent = text;
  };
  return {
    element,
    set(next) {
      status = next;
      show();
    },
    alert(text) {
      alert = text;
      show();
    },
  };
}
