/**
 * The nearest-rank percentile (the smallest value with at least p% of the values at or below it)
 * of `values`, which need not be sorted. NaN for no values.
 * @param p - 0 < p <= 100
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('percentile of a value that is not a finite number (NaN sorts nowhere): leave unmeasured values out');
  if (values.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50, p95 and p99 of `values` (nearest rank). */
export function latencySummary(values: readonly number[]): { p50: number; p95: number; p99: number; count: number } {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), count: values.length };
}
