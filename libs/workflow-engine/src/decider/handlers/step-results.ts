import type { StepHeartbeatReceived, StepResultCompleted, StepResultFailed } from '../../commands';
import { ENGINE_ERROR_NAMES, type StepError } from '../../step-error';
import { COMPENSATION_PREFIX, scheduleNextCompensation } from '../compensation';
import { emit, ignore, ignoreStale, setTimer, type Draft } from '../draft';
import { afterAttemptFailure } from '../failure';
import { timerId } from '../ids';
import { advance } from '../progress';
import { isActive, stepState } from '../queries';
import { requestReview, reviewReason } from '../review';
import { parseMapItemStepId } from '../map/ids';
import { mapItemHeartbeat, mapItemResult } from './map-items';
import { requireStep } from './require-step';
import { checkBudget } from '../controls/budget';

/**
 * StepResultCompleted: records the output (a schema violation fails the attempt, non-retryable),
 * opens a review when the gate holds, and moves the case on. A result for an attempt that is not
 * the running one changes nothing.
 * @internal
 */
export async function stepCompleted(d: Draft, cmd: StepResultCompleted): Promise<void> {
  const { stepId, attempt, output, metering } = cmd.data;
  if (stepId.startsWith(COMPENSATION_PREFIX)) return compensationResult(d, stepId, attempt, { output });
  const item = parseMapItemStepId(stepId);
  if (item) return mapItemResult(d, item, attempt, { output, ...(metering && { metering }) });
  const def = requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  // An engine step (wait, sleep, until) has no consumer: a result for it is not one of its attempts'.
  if (!isActive(d.state) || st.status !== 'running' || st.attempt !== attempt || def.kind !== undefined) return ignoreStale(d);
  const problems = d.ctx.validateOutput?.(def.type, output) ?? [];
  if (problems.length > 0) {
    const error = { name: ENGINE_ERROR_NAMES.outputSchemaViolation, message: problems.join('; '), retryable: false };
    emit(d, { type: 'StepAttemptFailed', data: { stepId, attempt, error, failedAt: d.ctx.now } });
    await afterAttemptFailure(d, stepId, error);
  } else {
    const scheduledAt = st.attempts.find((a) => a.attempt === attempt)?.scheduledAt ?? d.ctx.now;
    emit(d, {
      type: 'StepCompleted',
      data: { stepId, attempt, output: output ?? null, ...(metering && { metering }), completedAt: d.ctx.now, durationMs: d.ctx.now - scheduledAt },
    });
    const reason = await reviewReason(d, stepId);
    if (reason !== undefined) requestReview(d, stepId, reason);
    checkBudget(d, stepId, attempt);
  }
  await advance(d);
}

/** StepResultFailed: records the failed attempt, then retries, falls back or fails the case. @internal */
export async function stepFailed(d: Draft, cmd: StepResultFailed): Promise<void> {
  const { stepId, attempt, error } = cmd.data;
  if (stepId.startsWith(COMPENSATION_PREFIX)) return compensationResult(d, stepId, attempt, { error });
  const item = parseMapItemStepId(stepId);
  if (item) return mapItemResult(d, item, attempt, { error });
  requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  if (!isActive(d.state) || st.status !== 'running' || st.attempt !== attempt) return ignoreStale(d);
  emit(d, { type: 'StepAttemptFailed', data: { stepId, attempt, error, failedAt: d.ctx.now } });
  await afterAttemptFailure(d, stepId, error);
  await advance(d);
}

/**
 * StepHeartbeatReceived: pushes the running attempt's deadline to now + the step's timeout (and moves its
 * timer). A heartbeat that would not move the deadline later changes nothing.
 * Compensation attempts do not take heartbeats: they run within the step's timeout.
 * @internal
 */
export function stepHeartbeat(d: Draft, cmd: StepHeartbeatReceived): void {
  const { stepId, attempt } = cmd.data;
  if (stepId.startsWith(COMPENSATION_PREFIX)) return ignoreStale(d);
  const item = parseMapItemStepId(stepId);
  if (item) return mapItemHeartbeat(d, item);
  const def = requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  if (!isActive(d.state) || st.status !== 'running' || st.attempt !== attempt) return ignoreStale(d);
  // Extend only once the attempt has used half its time (of its timeout, or of its heartbeat
  // timeout): a step heartbeating every second would otherwise append an event, an outbox row and
  // a timer write per beat. The attempt still never has less than half of either left while it heartbeats.
  const later = d.ctx.now + def.timeoutMs;
  const extendDeadline = st.deadline === undefined || later - st.deadline >= def.timeoutMs / 2;
  const beat = def.heartbeatMs !== undefined ? d.ctx.now + def.heartbeatMs : undefined;
  const extendBeat = beat !== undefined && (st.heartbeatDueAt === undefined || beat - st.heartbeatDueAt >= def.heartbeatMs! / 2);
  if (!extendDeadline && !extendBeat) return ignore(d, 'heartbeat-early');
  const deadline = extendDeadline ? later : st.deadline!;
  const heartbeatDueAt = extendBeat ? beat : st.heartbeatDueAt;
  emit(d, { type: 'StepDeadlineExtended', data: { stepId, attempt, deadline, ...(heartbeatDueAt !== undefined && { heartbeatDueAt }), at: d.ctx.now } });
  setTimer(d, { timerId: timerId(d.state.caseId!, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: Math.min(deadline, heartbeatDueAt ?? Infinity), stepId, attempt });
}

/** The result of the compensation in flight; anything else is stale. Either way the next compensation runs. @internal */
export function compensationResult(d: Draft, compensationStepId: string, attempt: number, result: { output: unknown } | { error: StepError }): void {
  const stepId = compensationStepId.slice(COMPENSATION_PREFIX.length);
  requireStep(d, stepId);
  const current = d.state.compensation?.current;
  if (d.state.status !== 'compensating' || current?.stepId !== stepId || current.attempt !== attempt) return ignoreStale(d);
  const at = d.ctx.now;
  if ('error' in result) emit(d, { type: 'CompensationFailed', data: { stepId, attempt, error: result.error, failedAt: at } });
  else emit(d, { type: 'CompensationCompleted', data: { stepId, attempt, output: result.output ?? null, completedAt: at } });
  scheduleNextCompensation(d);
}
