import type { StepState } from '../state';

/** A map step's items counted, for the case summary and the trace (no item listed). */
export interface MapSummary {
  readonly total: number;
  /** Never dispatched yet. */
  readonly pending: number;
  /** Running or waiting to retry. */
  readonly inFlight: number;
  readonly completed: number;
  /** Failed for good. */
  readonly failed: number;
  readonly maxConcurrency: number;
}

/** The item counts of a map step that began its fan-out, else undefined. O(1). */
export function mapSummary(st: StepState): MapSummary | undefined {
  const m = st.map;
  if (!m) return undefined;
  return { total: m.items.length, pending: m.items.length - m.next, inFlight: m.inFlight, completed: m.completed, failed: m.failed, maxConcurrency: m.maxConcurrency };
}
