import type { ChildCaseEnded } from '../../commands';
import { emit, ignoreStale, type Draft } from '../draft';
import { afterAttemptFailure } from '../failure';
import { advance } from '../progress';
import { isActive, stepState } from '../queries';
import { requireStep } from './require-step';

/**
 * ChildCaseEnded: the child case of the running attempt of a sub-workflow step ended. Completed:
 * the step completes with the child's case output; failed or cancelled: the attempt fails with
 * the child's error (`ChildCaseFailed`, retryable: a retry starts a new child; `ChildCaseCancelled`,
 * not), then the retry, fallback and compensation rules apply. The end of any other child (an
 * earlier attempt's, one a timeout gave up) changes nothing.
 * @throws {UnknownStep} when the workflow has no such step
 * @internal
 */
export async function childEnded(d: Draft, cmd: ChildCaseEnded): Promise<void> {
  const { stepId, attempt, childCaseId, status } = cmd.data;
  requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  if (!isActive(d.state) || st.status !== 'running' || st.attempt !== attempt || st.childCaseId !== childCaseId) return ignoreStale(d);
  if (status === 'completed') {
    const scheduledAt = st.attempts.find((a) => a.attempt === attempt)?.scheduledAt ?? d.ctx.now;
    emit(d, { type: 'StepCompleted', data: { stepId, attempt, output: cmd.data.output ?? null, completedAt: d.ctx.now, durationMs: d.ctx.now - scheduledAt } });
  } else {
    const error = cmd.data.error ?? { name: 'ChildCaseFailed', message: `child case ${childCaseId} ${status}`, retryable: status === 'failed' };
    emit(d, { type: 'StepAttemptFailed', data: { stepId, attempt, error, failedAt: d.ctx.now } });
    await afterAttemptFailure(d, stepId, error);
  }
  await advance(d);
}
