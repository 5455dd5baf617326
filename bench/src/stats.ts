import { percentile } from '@baton/observability';

/** Percentiles of a set of durations, ms. `count` 0 means nothing was measured (the rest are null). */
export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * Nearest-rank p50/p95/p99 (the `@baton/observability` definition, shared with the services'
 * own latency figures), max and mean of `values`, rounded to 0.1 ms. Non-finite values are dropped.
 */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    count: xs.length,
    p50: round(percentile(xs, 50)),
    p95: round(percentile(xs, 95)),
    p99: round(percentile(xs, 99)),
    max: round(xs.reduce((a, b) => Math.max(a, b), -Infinity)),
    mean: round(xs.reduce((a, b) => a + b, 0) / xs.length),
  };
}

/**
 * `numerator / denominator` rounded to two decimals; null when either is missing or the
 * denominator is not positive (a ratio against nothing is not a figure).
 */
export function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator == null || denominator == null || !Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
  return Math.round((numerator / denominator) * 100) / 100;
}

/**
 * Items per second over a window, from the first start to the last end (epoch ms); null for an
 * empty or zero-length window.
 */
export function perSecond(items: number, firstStartMs: number, lastEndMs: number): number | null {
  const seconds = (lastEndMs - firstStartMs) / 1000;
  if (items <= 0 || !(seconds > 0)) return null;
  return Math.round((items / seconds) * 10) / 10;
}
