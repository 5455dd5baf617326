import type { StepExecution } from '@baton/projections';

/**
 * The items of a `map` step in a trace, counted instead of listed (a fan-out of 10,000 items is
 * one trace step, not 10,000): attempts by outcome, the span from the first dispatch to the last
 * result (offsets from the case start, ms), the slowest attempt, and the first few failed attempts.
 */
export interface TraceItems {
  /** Items the step fans out to (from the case summary); null before it is known. */
  total: number | null;
  attempts: number;
  running: number;
  completed: number;
  failed: number;
  timedOut: number;
  abandoned: number;
  firstStartOffsetMs: number | null;
  lastFinishOffsetMs: number | null;
  maxDurationMs: number | null;
  /** At most {@link MAX_LISTED_FAILURES} failed or timed-out attempts, earliest first. */
  failures: { index: number; attempt: number; status: string; error: unknown }[];
}

/** Failed item attempts a trace lists by name. */
export const MAX_LISTED_FAILURES = 10;

/** An empty tally for a map step with `total` items (null when unknown). */
export function emptyItems(total: number | null): TraceItems {
  return { total, attempts: 0, running: 0, completed: 0, failed: 0, timedOut: 0, abandoned: 0, firstStartOffsetMs: null, lastFinishOffsetMs: null, maxDurationMs: null, failures: [] };
}

/** Counts one item attempt row (`index` from its step id `<stepId>#<index>`) into `t`; `start` is the case start, epoch ms. */
export function tallyItem(t: TraceItems, e: StepExecution, index: number, start: number): void {
  t.attempts++;
  if (e.status === 'timed-out') t.timedOut++;
  else t[e.status]++;
  const at = Date.parse(e.scheduledAt) - start;
  if (t.firstStartOffsetMs === null || at < t.firstStartOffsetMs) t.firstStartOffsetMs = at;
  if (e.finishedAt) {
    const done = Date.parse(e.finishedAt) - start;
    if (t.lastFinishOffsetMs === null || done > t.lastFinishOffsetMs) t.lastFinishOffsetMs = done;
  }
  if (e.durationMs !== null && (t.maxDurationMs === null || e.durationMs > t.maxDurationMs)) t.maxDurationMs = e.durationMs;
  if ((e.status === 'failed' || e.status === 'timed-out') && t.failures.length < MAX_LISTED_FAILURES) {
    t.failures.push({ index, attempt: e.attempt, status: e.status, error: e.error });
  }
}
