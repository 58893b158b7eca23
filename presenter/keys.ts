/** What a key does on the console. Clickers send PageUp/PageDown (some send arrows or B/period). */
export type KeyAction = 'next' | 'prev' | 'left' | 'right' | 'up' | 'down' | 'first' | 'last' | 'overview' | 'pause';

const KEYS: Record<string, KeyAction> = {
  ArrowRight: 'right',
  ArrowLeft: 'left',
  ArrowUp: 'up',
  ArrowDown: 'down',
  ' ': 'next',
  PageDown: 'next',
  n: 'next',
  PageUp: 'prev',
  p: 'prev',
  Backspace: 'prev',
  Home: 'first',
  End: 'last',
  o: 'overview',
  Escape: 'overview',
  b: 'pause',
  '.': 'pause',
};

export function keyAction(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>): KeyAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  if (event.key === ' ' && event.shiftKey) return 'prev';
  return KEYS[event.key] ?? KEYS[event.key.toLowerCase()] ?? null;
}
