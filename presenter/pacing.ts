/**
 * Pacing as reveal.js's speaker view computes it (plugin/notes: getTimings, _updatePacing), so a
 * deck timed for reveal.js reads the same here: every slide gets `data-timing` seconds, else
 * `defaultTiming`; with a total time, the slides without their own timing share what the timed
 * ones leave. The speaker is behind once the time allotted up to the end of the current slide is
 * used up, ahead while it still holds more than the current slide's own share, on time between.
 */

export type PaceState = 'ahead' | 'on-time' | 'behind';

/**
 * Seconds per slide, in reveal.js's slide order (getSlides), or null when the deck sets neither a
 * total time nor a default timing. `slideTimings` holds each slide's `data-timing` attribute.
 */
export function slideTimings(slideTimings: ReadonlyArray<string | null>, totalTime: number | null, defaultTiming: number | null): number[] | null {
  if (totalTime === null && defaultTiming === null) return null;
  const fallback = totalTime ? 0 : (defaultTiming ?? 0);
  let timings = slideTimings.map((t) => {
    if (t === null) return fallback;
    const parsed = Number.parseInt(t, 10);
    return Number.isNaN(parsed) ? fallback : parsed;
  });
  if (totalTime) {
    const left = totalTime - timings.reduce((a, b) => a + b, 0);
    const untimed = timings.filter((x) => x === 0).length;
    const share = untimed ? Math.round(left / untimed) : 0;
    timings = timings.map((x) => (x === 0 ? share : x));
  }
  return timings;
}

export interface Pace {
  state: PaceState;
  /** Milliseconds left for the current slide (negative when over). */
  slideLeftMs: number;
}

/** `pastCount`: slides before the current one (reveal.js's getSlidePastCount). */
export function pace(timings: readonly number[], pastCount: number, elapsedMs: number): Pace {
  const allotted = timings.slice(0, pastCount + 1).reduce((a, b) => a + b, 0) * 1000;
  const current = (timings[pastCount] ?? 0) * 1000;
  const slideLeftMs = allotted - elapsedMs;
  const state: PaceState = slideLeftMs < 0 ? 'behind' : slideLeftMs < current ? 'on-time' : 'ahead';
  return { state, slideLeftMs };
}
