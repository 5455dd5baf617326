import { formatMicros, type CaseControls } from '@baton/workflow-engine';

/** The case-level controls a trace shows: times ISO-8601, cost in integer micro-dollars and as a 6-decimal string. */
export interface TraceControls {
  paused: { by: string; reason: string | null; at: string } | null;
  deadlineAt: string | null;
  timedOut: boolean;
  budgetExceeded: boolean;
  resets: number;
  usage: { inputTokens: number; outputTokens: number; tokens: number; costMicros: number; cost: string };
}

/** {@link TraceControls} of the engine's folded `controls`. */
export function traceControls(c: CaseControls): TraceControls {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    paused: c.paused === null ? null : { by: c.paused.by, reason: c.paused.reason ?? null, at: iso(c.paused.at) },
    deadlineAt: c.deadlineAt === null ? null : iso(c.deadlineAt), timedOut: c.timedOut, budgetExceeded: c.budgetExceeded, resets: c.resets,
    usage: { ...c.usage, cost: formatMicros(c.usage.costMicros) },
  };
}
