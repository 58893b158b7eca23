/**
 * "Use your phone as a remote": on demand the console shows a QR code of
 * `/remote/<code>#pair=<token>`. The token is one-time and short-lived (the server's), and rides
 * in the fragment, which the phone's browser never sends to a server; the phone trades it for its
 * own credential in a POST body. The console also lists the paired remotes, each with an Unpair button.
 * Only the console shows this code: the projector's page has no way to ask for one.
 */
import QRCode from 'qrcode';
import type { ServerMessage } from '../protocol/messages.ts';
import type { RemoteDevice } from '../protocol/speaker.ts';
import { el } from '../client/dom.ts';
import { formatDuration } from './timer.ts';

export interface RemotePairingOptions {
  talk: string;
  /** The public address phones reach (the join link's origin). */
  origin: string;
  send(message: { type: 'pairRemote' } | { type: 'revokeRemote'; device: string }): boolean;
}

export interface RemotePairing {
  /** The toolbar button that opens the dialog. */
  button: HTMLButtonElement;
  dialog: HTMLElement;
  receive(message: ServerMessage): void;
}

export function mountRemotePairing(options: RemotePairingOptions): RemotePairing {
  const button = el('button', { className: 'ld-btn ld-remote-open', text: 'Phone remote', attrs: { type: 'button', 'aria-haspopup': 'dialog' } });
  const qr = el('div', { className: 'ld-remote-qr', attrs: { role: 'img', 'aria-label': 'QR code that pairs a phone as a remote' } });
  const expiry = el('div', { className: 'ld-remote-expiry' });
  const again = el('button', { className: 'ld-btn ld-remote-again', text: 'New code', attrs: { type: 'button' } });
  const close = el('button', { className: 'ld-btn ld-remote-close', text: 'Close', attrs: { type: 'button' } });
  const list = el('ul', { className: 'ld-remote-devices', attrs: { 'aria-label': 'Paired remotes' } });
  const problem = el('div', { className: 'ld-remote-problem', attrs: { hidden: '', role: 'alert' } });
  const dialog = el('div', { className: 'ld-remote-dialog', attrs: { hidden: '', role: 'dialog', 'aria-label': 'Use your phone as a remote' } }, [
    el('div', { className: 'ld-remote-card' }, [
      el('h2', { text: 'Use your phone as a remote' }),
      el('p', { className: 'ld-remote-hint', text: 'Scan with your phone’s camera. The code works once, for a few minutes; never show it on the projector.' }),
      qr,
      expiry,
      problem,
      el('div', { className: 'ld-remote-actions' }, [again, close]),
      el('h3', { text: 'Paired remotes' }),
      list,
    ]),
  ]);

  let expiresAt = 0;
  let countdown: ReturnType<typeof setInterval> | null = null;
  const showExpiry = (): void => {
    const left = expiresAt - Date.now();
    qr.classList.toggle('ld-remote-spent', left <= 0);
    expiry.textContent = left > 0 ? `Works for ${formatDuration(left)}` : 'This code has expired: press New code.';
  };
  const ask = (): void => {
    qr.replaceChildren();
    expiry.textContent = 'Asking the server for a code…';
    problem.hidden = true;
    if (!options.send({ type: 'pairRemote' })) expiry.textContent = 'Not connected: the code comes once the console is back online.';
  };
  const hide = (): void => {
    dialog.hidden = true;
    // A code nobody scanned should not stay on screen.
    qr.replaceChildren();
    if (countdown) clearInterval(countdown);
    countdown = null;
  };
  button.addEventListener('click', () => {
    dialog.hidden = false;
    ask();
  });
  again.addEventListener('click', ask);
  close.addEventListener('click', hide);
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });

  async function drawCode(token: string, expiresIn: number): Promise<void> {
    const url = `${options.origin}/remote/${encodeURIComponent(options.talk)}#pair=${encodeURIComponent(token)}`;
    const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    // The SVG is the QR library's drawing of our own URL, parsed as SVG (no HTML parser involved).
    const drawing = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
    if (dialog.hidden) return;
    qr.replaceChildren(document.importNode(drawing, true));
    qr.dataset.url = url;
    expiresAt = Date.now() + expiresIn;
    showExpiry();
    if (countdown) clearInterval(countdown);
    countdown = setInterval(showExpiry, 1000);
  }

  function renderDevices(devices: RemoteDevice[]): void {
    list.replaceChildren(
      ...(devices.length
        ? devices.map((d) => {
            const unpair = el('button', { className: 'ld-btn ld-remote-revoke', text: 'Unpair', attrs: { type: 'button', 'aria-label': `Unpair ${d.name}` } });
            unpair.addEventListener('click', () => options.send({ type: 'revokeRemote', device: d.id }));
            const since = new Date(d.pairedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
            return el('li', { className: 'ld-remote-device', attrs: { 'data-device': d.id } }, [
              el('span', { className: 'ld-remote-name', text: d.name }),
              el('span', { className: 'ld-remote-since', text: `paired ${since}` }),
              unpair,
            ]);
          })
        : [el('li', { className: 'ld-remote-none', text: 'No phone is paired.' })]),
    );
    button.textContent = devices.length ? `Phone remote (${devices.length})` : 'Phone remote';
  }
  renderDevices([]);

  return {
    button,
    dialog,
    receive(message) {
      if (message.type === 'remotePairing') {
        void drawCode(message.token, message.expiresIn).catch((err: unknown) => {
          problem.hidden = false;
          problem.textContent = `Could not draw the QR code: ${err instanceof Error ? err.message : String(err)}`;
        });
      } else if (message.type === 'remoteDevices') {
        renderDevices(message.devices);
      } else if (message.type === 'error' && (message.ref === 'pairRemote' || message.ref === 'revokeRemote')) {
        problem.hidden = false;
        problem.textContent = message.message;
      }
    },
  };
}
