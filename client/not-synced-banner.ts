/** The console's and the remote's "not synced" banner (client/not-synced.ts), in a strong amber under the slide's alerts. */
import './not-synced.css';
import { el } from './dom.ts';
import { NotSynced, type NotSyncedOptions } from './not-synced.ts';

export function mountNotSynced(options: Omit<NotSyncedOptions, 'show'>): { element: HTMLElement; watch: NotSynced } {
  const element = el('div', { className: 'ld-not-synced', attrs: { hidden: '', role: 'alert' } });
  const watch = new NotSynced({
    ...options,
    show(text) {
      element.hidden = text === null;
      element.textContent = text ?? '';
    },
  });
  return { element, watch };
}
