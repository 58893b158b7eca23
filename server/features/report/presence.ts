/** The audience count over time, from the presence samples in the talk's log. */
import type { PresenceSection } from '../../../protocol/report.ts';

export interface PresenceSample {
  at: number;
  audience: number;
}

/**
 * A step series: each count holds until the next sample. Samples repeating the count before them
 * are dropped (the once-a-minute samples only say that the talk went on). The mean is weighted
 * by how long each count held, over the span of the samples.
 */
export function presenceSeries(samples: readonly PresenceSample[]): PresenceSection {
  const kept: PresenceSample[] = [];
  let peak = 0;
  let peakAt: number | null = null;
  let weighted = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    const next = samples[i + 1];
    if (next) weighted += sample.audience * Math.max(0, next.at - sample.at);
    if (sample.audience > peak || peakAt === null) {
      peak = sample.audience;
      peakAt = sample.at;
    }
    if (kept.at(-1)?.audience !== sample.audience || !next) kept.push({ at: sample.at, audience: sample.audience });
  }
  const first = samples[0];
  const last = samples.at(-1);
  const span = first && last ? last.at - first.at : 0;
  const mean = span > 0 ? weighted / span : (first?.audience ?? 0);
  return { samples: kept, peak, peakAt, mean: Math.round(mean * 10) / 10 };
}
