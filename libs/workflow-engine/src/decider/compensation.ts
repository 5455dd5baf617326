import type { WorkflowDefinition } from '../definition/types';
import { dispatch, emit, setTimer, type Draft } from './draft';
import { COMPENSATION_PREFIX, timerId } from './ids';
import type { CaseState } from './state';

export { COMPENSATION_PREFIX };

/**
 * The compensations to run, in order: the `compensate` step types of the steps whose work took
 * effect (completed, or awaiting review), latest completion first (saga order).
 * @internal
 */
export function compensationPlan(state: CaseState, wf: WorkflowDefinition): { stepId: string; stepType: string }[] {
  const plan: { stepId: string; stepType: string }[] = [];
  for (const id of [...state.completionOrder].reverse()) {
    const st = state.steps[id];
    const type = wf.steps[id]?.compensate;
    if (type && st && !st.compensated && (st.status === 'completed' || st.status === 'awaiting-review')) plan.push({ stepId: id, stepType: type });
  }
  return plan;
}

/**
 * Dispatches the next compensation of the plan, one at a time; ends the case (`CaseFailed` or
 * `CaseCancelled`) after the last. A compensation's input is `{ input, output }` of its step;
 * its deadline is the step's own timeout. A compensation request `ctx.validateInput` refuses
 * fails at once (`CompensationFailed`) and the next one runs.
 * @internal
 */
export function scheduleNextCompensation(d: Draft): void {
  for (;;) {
    const c = d.state.compensation!;
    const at = d.ctx.now;
    const item = c.plan[c.next];
    if (item === undefined) return endCase(d);
    const st = d.state.steps[item.stepId]!;
    const caseId = d.state.caseId!;
    const compensationStepId = `${COMPENSATION_PREFIX}${item.stepId}`;
    const attempt = st.compensationAttempts + 1;
    const deadline = at + d.ctx.workflow.steps[item.stepId]!.timeoutMs;
    const input = { input: st.input ?? null, output: st.output ?? null };
    const idempotencyKey = `${caseId}:${compensationStepId}`;
    emit(d, {
      type: 'CompensationScheduled',
      data: { stepId: item.stepId, compensationStepId, stepType: item.stepType, attempt, input, deadline, idempotencyKey, scheduledAt: at },
    });
    const request = { caseId, stepId: compensationStepId, stepType: item.stepType, attempt, input, params: {}, deadline, idempotencyKey };
    const problem = d.ctx.validateInput?.(request, { mapped: false });
    if (problem === undefined) {
      dispatch(d, request);
      setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', compensationStepId, attempt), kind: 'attempt-timeout', dueAt: deadline, stepId: compensationStepId, attempt });
      return;
    }
    const error = { name: problem.name, message: problem.message, retryable: false };
    emit(d, { type: 'CompensationFailed', data: { stepId: item.stepId, attempt, error, failedAt: at } });
  }
}

function endCase(d: Draft): void {
  const c = d.state.compensation!;
  const at = d.ctx.now;
  const ending = { compensated: c.completed, compensationFailures: c.failures };
  if (c.reason === 'case-cancelled') {
    const x = d.state.cancellation!;
    emit(d, { type: 'CaseCancelled', data: { reason: x.reason, ...(x.requestedBy !== undefined && { requestedBy: x.requestedBy }), ...ending, cancelledAt: at } });
  } else {
    const f = d.state.failure!;
    emit(d, { type: 'CaseFailed', data: { stepId: f.stepId, error: f.error, ...ending, failedAt: at } });
  }
}
