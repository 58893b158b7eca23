/**
 * Ranking polls: each person orders every option, best first. Results are Borda points (an option
 * gets n − 1 points for each first place, n − 2 for each second, … 0 for last) and its average rank.
 */

/** Whether `choices` orders every one of `options` options exactly once. */
export function isFullRanking(choices: readonly number[], options: number): boolean {
  if (choices.length !== options) return false;
  const seen = new Set<number>();
  for (const c of choices) {
    if (!Number.isInteger(c) || c < 0 || c >= options || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

export interface RankingTally {
  /** Borda points per option. */
  points: number[];
  /** Average rank per option (1 = first), two decimals; 0 when nobody ranked yet. */
  ranks: number[];
}

/** Counts rankings; one that no longer orders every option (the deck changed) is skipped. */
export function tallyRanking(options: number, rankings: Iterable<readonly number[]>): RankingTally {
  const points = Array.from({ length: options }, () => 0);
  const rankSums = Array.from({ length: options }, () => 0);
  let counted = 0;
  for (const order of rankings) {
    if (!isFullRanking(order, options)) continue;
    counted++;
    order.forEach((option, place) => {
      points[option]! += options - 1 - place;
      rankSums[option]! += place + 1;
    });
  }
  const ranks = rankSums.map((sum) => (counted === 0 ? 0 : Math.round((sum / counted) * 100) / 100));
  return { points, ranks };
}
