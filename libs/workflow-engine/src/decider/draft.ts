import type { CaseEvent } from '../events';
import type { DecideContext, Decision, IgnoredReason, StepRequest, TimerRequest } from './decision';
import { evolve } from './evolve';
import type { CaseState } from './state';

/**
 * The decision being built: each emitted event is folded at once, so later rules see its effect.
 * @internal
 */
export interface Draft {
  state: CaseState;
  readonly ctx: DecideContext;
  readonly events: CaseEvent[];
  readonly requests: StepRequest[];
  readonly timers: TimerRequest[];
  ignored?: IgnoredReason;
}

/** @internal */
export function draft(state: CaseState, ctx: DecideContext): Draft {
  return { state, ctx, events: [], requests: [], timers: [] };
}

/** @internal */
export function emit(d: Draft, event: CaseEvent): void {
  d.events.push(event);
  d.state = evolve(d.state, event);
}

/** @internal */
export function toDecision(d: Draft): Decision {
  return { events: d.events, requests: d.requests, timers: d.timers, ...(d.ignored ? { ignored: d.ignored } : {}) };
}

/**
 * Marks a step result as dropped, with the reason read from the case: ended, compensating, or
 * else an attempt that is not the running one.
 * @internal
 */
export function ignoreResult(d: Draft): void {
  const s = d.state.status;
  d.ignored = s === 'completed' || s === 'failed' || s === 'cancelled' ? 'case-ended' : s === 'compensating' ? 'case-compensating' : 'stale-attempt';
}

/**
 * The deterministic id of a timer the decider sets: `<caseId>:<kind>:<stepId>:<attempt>`, or
 * `<caseId>:<kind>` for a case timer (`sla`). The orchestrator uses it to delete timers that can
 * no longer matter.
 */
export function timerId(caseId: string, kind: TimerRequest['kind'], stepId?: string, attempt?: number): string {
  return stepId === undefined ? `${caseId}:${kind}` : `${caseId}:${kind}:${stepId}:${attempt}`;
}
