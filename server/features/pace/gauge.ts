import type { PaceReportMessage, PaceSignal } from '../../../protocol/polls.ts';

/** A signal loses half its weight every minute and is forgotten after five. */
export const PACE_HALF_LIFE_MS = 60_000;
export const PACE_FORGET_MS = 5 * 60_000;

interface Held {
  signal: 'fast' | 'slow';
  slide: string;
  at: number;
}

/**
 * "Too fast" / "too slow" per slide. Each participant holds at most one signal (a new one
 * replaces it, `ok` withdraws it); a signal's weight decays with age, so the gauge drifts back
 * to calm unless people keep saying so.
 */
export class PaceGauge {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a participant's signal on a slide ("h/v"); returns true if anything changed. */
  signal(participant: string, signal: PaceSignal, slide: string): boolean {
    if (signal === 'ok') return this.held.delete(participant);
    this.held.set(participant, { signal, slide, at: this.now() });
    return true;
  }

  get size(): number {
    return this.held.size;
  }

  /** Decayed weights per slide, rounded to hundredths; forgets signals past PACE_FORGET_MS. */
  report(): Omit<PaceReportMessage, 'type'> {
    const now = this.now();
    const slides: PaceReportMessage['slides'] = {};
    const active = { fast: 0, slow: 0 };
    for (const [participant, held] of this.held) {
      const age = now - held.at;
      if (age >= PACE_FORGET_MS) {
        this.held.delete(participant);
        continue;
      }
      const slide = (slides[held.slide] ??= { fast: 0, slow: 0 });
      slide[held.signal] += Math.pow(0.5, age / PACE_HALF_LIFE_MS);
      active[held.signal]++;
    }
    for (const s of Object.values(slides)) {
      s.fast = Math.round(s.fast * 100) / 100;
      s.slow = Math.round(s.slow * 100) / 100;
    }
    return { slides, active };
  }
}
