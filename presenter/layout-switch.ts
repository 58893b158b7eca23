/**
 * The console's two layouts: slides large (the default) or notes large. The choice is the
 * speaker's and stays with this browser (localStorage), across reloads and talks.
 */
import { el } from '../client/dom.ts';

export type ConsoleLayout = 'slides' | 'notes';
const KEY = 'livedeck.consoleLayout';

function load(): ConsoleLayout {
  try {
    return localStorage.getItem(KEY) === 'notes' ? 'notes' : 'slides';
  } catch (err) {
    console.warn('livedeck: layout choice unreadable', err);
    return 'slides';
  }
}

function save(layout: ConsoleLayout): void {
  try {
    localStorage.setItem(KEY, layout);
  } catch (err) {
    console.warn('livedeck: could not remember the layout', err);
  }
}

/** A button that switches `root`'s data-layout and remembers it. */
export function mountLayoutSwitch(root: HTMLElement): HTMLButtonElement {
  const button = el('button', { className: 'ld-btn ld-layout-switch', attrs: { type: 'button' } });
  const apply = (layout: ConsoleLayout): void => {
    root.dataset.layout = layout;
    button.textContent = layout === 'notes' ? 'Slides large' : 'Notes large';
    button.setAttribute('aria-label', layout === 'notes' ? 'Switch to the layout with large slides' : 'Switch to the layout with large notes');
  };
  apply(load());
  button.addEventListener('click', () => {
    const next: ConsoleLayout = root.dataset.layout === 'notes' ? 'slides' : 'notes';
    save(next);
    apply(next);
  });
  return button;
}
