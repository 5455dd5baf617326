import type { TimerRequest } from './decision';
import { COMPENSATION_PREFIX, timerId } from './ids';
import { isActive, isTerminal } from './queries';
import { isPaused } from './controls/paused';
import { mapItemTimers } from './map/timers';
import type { CaseState } from './state';

/**
 * The durable timers a case's state says must be pending, derived from its events alone:
 * - the `attempt-timeout` of every running attempt (at its current deadline), and of the
 *   compensation in flight;
 * - the `retry` timer of every step waiting to retry (at `retryDueAt`);
 * - the `review-timeout` of every open review task that has a timeout and was not escalated;
 * - the `case-timeout` of an open case with a deadline. A paused case expects no retry timer (a
 *   retry due while paused waits for the resume), and a pause counts as pending (an operator wakes it).
 * The SLA timer is left out: it only counts a breach and wakes nothing. A terminal or new case
 * expects none. The same ids and due times the decider used when it set them (see `timerId`), so
 * setting them again is an idempotent upsert.
 */
export function expectedTimers(state: CaseState): TimerRequest[] {
  if (state.status === 'new' || isTerminal(state) || state.caseId === null) return [];
  const caseId = state.caseId;
  const timers: TimerRequest[] = [];
  for (const st of Object.values(state.steps)) {
    if (st.status === 'running' && st.deadline !== undefined) {
      timers.push({ timerId: timerId(caseId, 'attempt-timeout', st.stepId, st.attempt), kind: 'attempt-timeout', dueAt: Math.min(st.deadline, st.heartbeatDueAt ?? Infinity), stepId: st.stepId, attempt: st.attempt });
    } else if (st.status === 'retry-wait' && st.retryAttempt !== undefined && st.retryDueAt !== undefined && !isPaused(state)) {
      timers.push({ timerId: timerId(caseId, 'retry', st.stepId, st.retryAttempt), kind: 'retry', dueAt: st.retryDueAt, stepId: st.stepId, attempt: st.retryAttempt });
    }
    if (st.status === 'running') timers.push(...mapItemTimers(caseId, st));
  }
  for (const task of Object.values(state.tasks)) {
    if (task.status !== 'open' || task.escalated || task.dueAt === undefined) continue;
    timers.push({ timerId: timerId(caseId, 'review-timeout', task.stepId, task.attempt), kind: 'review-timeout', dueAt: task.dueAt, stepId: task.stepId, attempt: task.attempt });
  }
  const current = state.status === 'compensating' ? state.compensation?.current : undefined;
  if (current) {
    const stepId = `${COMPENSATION_PREFIX}${current.stepId}`;
    timers.push({ timerId: timerId(caseId, 'attempt-timeout', stepId, current.attempt), kind: 'attempt-timeout', dueAt: current.deadline, stepId, attempt: current.attempt });
  }
  const deadlineAt = state.controls.deadlineAt;
  if (deadlineAt !== null && isActive(state)) timers.push({ timerId: timerId(caseId, 'case-timeout'), kind: 'case-timeout', dueAt: deadlineAt });
  return timers.sort((a, b) => a.dueAt - b.dueAt || (a.timerId < b.timerId ? -1 : 1));
}

/** Why a case cannot move on by itself, from {@link diagnoseStuck}. */
export interface StuckDiagnosis {
  /** One sentence per problem, naming the step, attempt or task. */
  readonly reasons: readonly string[];
  /** Timers the state expects that are not pending: `RepairCase` sets them again. */
  readonly missingTimers: readonly TimerRequest[];
  /** True when nothing at all is pending (no attempt, retry, review or compensation in flight). */
  readonly nothingPending: boolean;
}

/**
 * Says whether a non-terminal case has something that will wake it: every timer of
 * {@link expectedTimers} pending, and at least one attempt, retry, open review task or
 * compensation in flight. A person deciding an open task counts as a wake-up.
 *
 * @param state the case state folded from its events
 * @param pendingTimerIds the ids of the case's timers in the timer table (same snapshot as the events)
 * @returns `null` when the case is fine (or ended), else what is wrong
 */
export function diagnoseStuck(state: CaseState, pendingTimerIds: ReadonlySet<string>): StuckDiagnosis | null {
  if (state.status === 'new' || isTerminal(state)) return null;
  const expected = expectedTimers(state);
  const missingTimers = expected.filter((t) => !pendingTimerIds.has(t.timerId));
  const reasons = missingTimers.map((t) => describeMissing(t));
  const openTasks = Object.values(state.tasks).filter((t) => t.status === 'open');
  const inFlight = Object.values(state.steps).some((s) => s.status === 'running' || s.status === 'retry-wait' || s.status === 'awaiting-operator');
  const compensating = state.status === 'compensating' && state.compensation?.current !== undefined;
  const nothingPending = !inFlight && !compensating && openTasks.length === 0 && !isPaused(state);
  if (nothingPending) reasons.push(`the case is ${state.status} with nothing pending: no attempt running, no retry waiting, no open review task${state.status === 'compensating' ? ', no compensation in flight' : ''}`);
  return reasons.length === 0 ? null : { reasons, missingTimers, nothingPending };
}

function describeMissing(t: TimerRequest): string {
  const at = new Date(t.dueAt).toISOString();
  switch (t.kind) {
    case 'attempt-timeout': return `attempt ${t.attempt} of step '${t.stepId}' is running with no timeout timer (deadline ${at}): if its result never comes, nothing times it out`;
    case 'retry': return `step '${t.stepId}' waits to retry as attempt ${t.attempt} (due ${at}) but no retry timer exists`;
    case 'review-timeout': return `the review of step '${t.stepId}' (attempt ${t.attempt}) has no timeout timer (due ${at})`;
    default: return `timer ${t.timerId} is missing (due ${at})`;
  }
}
