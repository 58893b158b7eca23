/**
 * The timer, its buttons and the pacing line, for the console and the phone remote alike. The
 * server holds the timer: the buttons send `timer` writes and the display follows `timerState`.
 */
import type { ServerMessage } from '../protocol/messages.ts';
import type { TimerAction } from '../protocol/speaker.ts';
import type { RevealDeck } from '../client/deck-state.ts';
import { el } from '../client/dom.ts';
import { pace, slideTimings, type PaceState } from './pacing.ts';
import { formatDuration, ServerTimer } from './timer.ts';

export interface TimerPanelOptions {
  deck: RevealDeck;
  send(message: { type: 'timer'; action: TimerAction }): boolean;
}

export interface TimerPanel {
  element: HTMLElement;
  receive(message: ServerMessage): void;
}

const PACE_WORDS: Record<PaceState, string> = { ahead: 'Ahead', 'on-time': 'On time', behind: 'Behind' };

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function mountTimerPanel(options: TimerPanelOptions): TimerPanel {
  const { deck } = options;
  const timer = new ServerTimer();
  const text = el('span', { className: 'ld-timer-text', text: '--:--', attrs: { title: 'Time since the talk timer started' } });
  const toggle = el('button', { className: 'ld-btn ld-timer-toggle', text: 'Start', attrs: { type: 'button' } });
  const reset = el('button', { className: 'ld-btn ld-timer-reset', text: 'Reset', attrs: { type: 'button' } });
  const paceLine = el('span', { className: 'ld-pacing', attrs: { hidden: '', 'aria-live': 'polite' } });
  const left = el('span', { className: 'ld-time-left', attrs: { hidden: '' } });
  const element = el('span', { className: 'ld-timer' }, [text, toggle, reset, paceLine, left]);

  let timings: number[] | null = null;
  const readTimings = (): void => {
    const config = deck.getConfig() as { totalTime?: unknown; defaultTiming?: unknown };
    const attrs = deck.getSlides().map((s) => s.getAttribute('data-timing'));
    timings = slideTimings(attrs, timer.duration ?? numberOrNull(config.totalTime), numberOrNull(config.defaultTiming));
  };

  toggle.addEventListener('click', () => options.send({ type: 'timer', action: timer.isRunning ? 'pause' : 'start' }));
  reset.addEventListener('click', () => options.send({ type: 'timer', action: 'reset' }));

  function tick(): void {
    if (!timer.known) return;
    const elapsed = timer.elapsed(Date.now());
    text.textContent = formatDuration(elapsed);
    toggle.textContent = timer.isRunning ? 'Pause' : elapsed > 0 ? 'Resume' : 'Start';
    element.dataset.running = String(timer.isRunning);
    const planned = timer.duration !== null ? timer.duration * 1000 : timings ? timings.reduce((a, b) => a + b, 0) * 1000 : null;
    left.hidden = planned === null;
    if (planned !== null) {
      const rest = planned - elapsed;
      left.textContent = rest >= 0 ? `${formatDuration(rest)} left` : `${formatDuration(-rest)} over`;
      left.dataset.over = String(rest < 0);
    }
    // Pacing means nothing before the talk starts.
    paceLine.hidden = timings === null || elapsed === 0;
    if (timings && elapsed > 0) {
      const p = pace(timings, deck.getSlidePastCount(), elapsed);
      paceLine.dataset.pace = p.state;
      paceLine.textContent = `${PACE_WORDS[p.state]} · ${p.slideLeftMs >= 0 ? formatDuration(p.slideLeftMs) : `-${formatDuration(-p.slideLeftMs)}`} for this slide`;
    }
  }
  setInterval(tick, 500);
  readTimings();

  return {
    element,
    receive(message) {
      if (message.type !== 'timerState') return;
      const durationChanged = message.duration !== timer.duration;
      timer.receive(message, Date.now());
      if (durationChanged) readTimings();
      tick();
    },
  };
}
