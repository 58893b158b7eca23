/** The talk timer: survives a console reload because the start time lives in localStorage. */
export interface TimerState {
  running: boolean;
  /** Epoch ms when the current run started (meaningful while running). */
  startedAt: number;
  /** Milliseconds accumulated by earlier runs. */
  banked: number;
}

const KEY = 'livedeck.timer';
const STOPPED: TimerState = { running: false, startedAt: 0, banked: 0 };

export function elapsedMs(t: TimerState, now: number): number {
  return t.banked + (t.running ? now - t.startedAt : 0);
}

export function start(t: TimerState, now: number): TimerState {
  return t.running ? t : { running: true, startedAt: now, banked: t.banked };
}

export function pause(t: TimerState, now: number): TimerState {
  return t.running ? { running: false, startedAt: 0, banked: elapsedMs(t, now) } : t;
}

export function reset(): TimerState {
  return STOPPED;
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function loadTimer(): TimerState {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<TimerState> | null;
    if (raw && typeof raw.running === 'boolean' && typeof raw.startedAt === 'number' && typeof raw.banked === 'number') {
      return { running: raw.running, startedAt: raw.startedAt, banked: raw.banked };
    }
  } catch {
    console.warn('livedeck: timer state unreadable, starting from zero');
  }
  return STOPPED;
}

export function saveTimer(t: TimerState): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(t));
  } catch {
    console.warn('livedeck: could not save the timer');
  }
}
