import { isRetryable, retryDelay } from '../retry';
import type { StepError } from '../step-error';
import { compensationPlan, scheduleNextCompensation } from './compensation';
import { startStep } from './dispatch';
import { emit, setTimer, type Draft } from './draft';
import { timerId } from './ids';
import { awaitOperator } from './await-operator';
import { stepState } from './queries';
import { isPaused } from './controls/paused';

/**
 * After a failed or timed-out attempt: another attempt after the backoff delay while the policy
 * allows (the step's `retryAfterMs`, when the error carries one and it is longer, wins over the
 * policy's delay), else the step is exhausted.
 * @internal
 */
export async function afterAttemptFailure(d: Draft, stepId: string, error: StepError): Promise<void> {
  const def = d.ctx.workflow.steps[stepId]!;
  const st = stepState(d.state, stepId);
  const attemptInRun = st.attempt - st.runStartAttempt + 1;
  if (isRetryable(def.retry, error) && attemptInRun < def.retry.maxAttempts) {
    const delayMs = Math.max(retryDelay(def.retry, attemptInRun, d.ctx.random()), error.retryAfterMs ?? 0);
    const next = st.attempt + 1;
    const dueAt = d.ctx.now + delayMs;
    emit(d, { type: 'StepRetryScheduled', data: { stepId, attempt: next, delayMs, dueAt } });
    setTimer(d, { timerId: timerId(d.state.caseId!, 'retry', stepId, next), kind: 'retry', dueAt, stepId, attempt: next });
    return;
  }
  await stepExhausted(d, stepId, error);
}

/**
 * A step failed for good. With a fallback, the fallback runs in its place (and if it cannot even
 * start, it is exhausted in turn); without one the case fails: in-flight work is abandoned and
 * the completed steps are compensated.
 * @internal
 */
export async function stepExhausted(d: Draft, stepId: string, error: StepError): Promise<void> {
  const def = d.ctx.workflow.steps[stepId]!;
  const st = stepState(d.state, stepId);
  const attempts = Math.max(0, st.attempt - st.runStartAttempt + 1);
  const at = d.ctx.now;
  if (def.fallback !== undefined) {
    emit(d, { type: 'StepFailed', data: { stepId, attempts, error, failedAt: at, fallbackStepId: def.fallback } });
    emit(d, { type: 'FallbackStarted', data: { stepId, fallbackStepId: def.fallback, at } });
    if (isPaused(d.state)) return; // the resume starts it
    const fallbackError = await startStep(d, def.fallback, stepId);
    if (fallbackError !== undefined) await stepExhausted(d, def.fallback, fallbackError);
    return;
  }
  if (def.onExhausted === 'waitForOperator') return awaitOperator(d, stepId, attempts, error);
  emit(d, { type: 'StepFailed', data: { stepId, attempts, error, failedAt: at } });
  windDown(d, 'case-failed');
}

/**
 * Ends a case that failed or is cancelled: abandons running attempts and pending retries,
 * withdraws open review tasks, then runs the compensations one at a time (or ends the case at
 * once when there are none).
 * @internal
 */
export function windDown(d: Draft, reason: 'case-failed' | 'case-cancelled'): void {
  // Planned first: a step awaiting review did its work, so it is compensated even though its task is withdrawn.
  const plan = compensationPlan(d.state, d.ctx.workflow);
  const at = d.ctx.now;
  for (const id of d.ctx.workflow.stepOrder) {
    const st = d.state.steps[id];
    if (!st) continue;
    if (st.status === 'running' || st.status === 'retry-wait' || st.status === 'awaiting-operator') {
      emit(d, { type: 'StepAbandoned', data: { stepId: id, attempt: st.attempt, reason, at } });
    } else if (st.status === 'awaiting-review' && st.taskId !== undefined) {
      emit(d, { type: 'ReviewWithdrawn', data: { taskId: st.taskId, stepId: id, reason, at } });
    }
  }
  emit(d, { type: 'CompensationStarted', data: { reason, plan, at } });
  scheduleNextCompensation(d);
}
