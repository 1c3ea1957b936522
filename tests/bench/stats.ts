// Figures of a sample for the benchmarks' reports: one definition of a percentile for all.

/** Nearest-rank percentile of `sorted` (ascending), p in (0, 100]; NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** The samples in ascending order (a copy). */
export const ascending = (samples: readonly number[]): number[] =>
  [...samples].sort((a, b) => a - b);
