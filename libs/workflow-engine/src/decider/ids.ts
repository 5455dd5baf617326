import type { TimerKind } from '../commands';

/** Prefix of the step id a compensation request carries: `compensate:<stepId>`. */
export const COMPENSATION_PREFIX = 'compensate:';

/**
 * The deterministic id of a timer the decider sets: `<caseId>:<kind>:<stepId>:<attempt>`, or
 * `<caseId>:<kind>` for a case timer (`sla`). Setting an id that exists moves its due time.
 */
export function timerId(caseId: string, kind: TimerKind, stepId?: string, attempt?: number): string {
  return stepId === undefined ? `${caseId}:${kind}` : `${caseId}:${kind}:${stepId}:${attempt}`;
}
