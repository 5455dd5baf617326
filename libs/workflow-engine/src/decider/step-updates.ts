import type { CaseEvent } from '../events';
import { applyAttemptChange, attemptChange } from './attempts';
import type { AttemptRecord, CaseState, StepState } from './state';

/*
 * The small state updates `evolve` and its helpers (flow control, map, controls) share, in a module
 * of their own so those helpers need not import `evolve` (which imports them).
 */

/** The record of a step before its first event. @internal */
export function blankStep(stepId: string): StepState {
  return { stepId, status: 'pending', attempt: 0, runStartAttempt: 1, attempts: [], compensationAttempts: 0, compensated: false };
}

/** @internal */
export function step(s: CaseState, id: string, change: (st: StepState) => StepState): CaseState {
  return { ...s, steps: { ...s.steps, [id]: change(s.steps[id] ?? blankStep(id)) } };
}

/** The step's attempts after an event about one of them (`attemptChange`, the one reading of the attempt lifecycle). */
/** @internal */
export function attemptsAfter(st: StepState, e: CaseEvent): AttemptRecord[] {
  const change = attemptChange(e);
  return change ? applyAttemptChange(st.attempts, change) : [...st.attempts];
}
