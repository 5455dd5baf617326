import type { StepError } from '../step-error';
import { scheduleNextCompensation, compensationPlan } from './compensation';
import { emit, type Draft } from './draft';
import { startStep } from './progress';
import { stepState } from './queries';

/**
 * A step failed for good. With a fallback, the fallback runs in its place; without one the case
 * fails: in-flight work is abandoned and the completed steps are compensated.
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
    await startStep(d, def.fallback, stepId);
    return;
  }
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
    if (st.status === 'running' || st.status === 'retry-wait') {
      emit(d, { type: 'StepAbandoned', data: { stepId: id, attempt: st.attempt, reason, at } });
    } else if (st.status === 'awaiting-review' && st.taskId !== undefined) {
      emit(d, { type: 'ReviewWithdrawn', data: { taskId: st.taskId, stepId: id, reason, at } });
    }
  }
  emit(d, { type: 'CompensationStarted', data: { reason, plan, at } });
  scheduleNextCompensation(d);
}
