import type { ConnectionStatus, TransportKind } from './connection.ts';
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
  /** How the page is connected: on a fallback, "Live" reads "Connected (slow network mode)". */
  transport(kind: TransportKind): void;
}

/** Said instead of "Live" on a fallback transport: only then does the way in matter to the person holding the phone. */
const SLOW_MODE_LABEL = 'Connected (slow network mode)';

/** How long "Back" stays up after a lost link came back, before it settles to "Live". */
const BACK_FOR_MS = 3000;

/**
 * A dot and a word: green "Live", amber "Connecting…", red "Reconnecting…" (also while retrying
 * after a link that worked), then a short "Back" when it returns, so a phone never shows only a dot.
 */
export function statusDot(): StatusDot {
  const element = el('span', { className: 'ld-status', attrs: { role: 'status', 'data-status': 'connecting', title: LABELS.connecting } });
  const label = el('span', { className: 'ld-status-label', text: LABELS.connecting });
  element.append(el('span', { className: 'ld-status-dot', attrs: { 'aria-hidden': 'true' } }), label);
  let status: ConnectionStatus = 'connecting';
  let alert: string | null = null;
  let wasConnected = false;
  let lost = false;
  let backUntil = 0;
  let settle: ReturnType<typeof setTimeout> | null = null;
  let kind: TransportKind = 'websocket';
  const show = () => {
    // A retry after a working link is still a lost link to the person holding the phone.
    const shown: ConnectionStatus = status === 'connecting' && wasConnected ? 'disconnected' : status;
    const back = shown === 'connected' && Date.now() < backUntil;
    element.dataset.status = shown;
    if (alert === null) delete element.dataset.alert;
    else element.dataset.alert = 'true';
    if (back) element.dataset.back = 'true';
    else delete element.dataset.back;
    element.dataset.transport = kind;
    const live = kind === 'websocket' ? LABELS.connected : SLOW_MODE_LABEL;
    const text = shown === 'connected' && alert !== null ? alert : back ? 'Back' : shown === 'connected' ? live : LABELS[shown];
    element.title = text;
    label.textContent = text;
  };
  return {
    element,
    set(next) {
      if (next !== 'connected' && wasConnected) lost = true;
      if (next === 'connected') {
        if (lost) {
          backUntil = Date.now() + BACK_FOR_MS;
          if (settle) clearTimeout(settle);
          settle = setTimeout(show, BACK_FOR_MS);
        }
        wasConnected = true;
        lost = false;
      }
      status = next;
      show();
    },
    alert(text) {
      alert = text;
      show();
    },
    transport(next) {
      kind = next;
      show();
    },
  };
}
