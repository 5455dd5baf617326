import type { TimerFired } from '../../commands';
import { ENGINE_ERROR_NAMES } from '../../step-error';
import { COMPENSATION_PREFIX, scheduleNextCompensation } from '../compensation';
import { scheduleAttempt } from '../dispatch';
import { isTimerStep } from '../engine-schedule';
import { emit, ignore, type Draft } from '../draft';
import { afterAttemptFailure, stepExhausted } from '../failure';
import { advance } from '../progress';
import { isActive, isTerminal, stepState } from '../queries';
import { applyReviewDecision } from '../review';
import { parseMapItemStepId } from '../map/ids';
import { mapItemTimer } from './map-items';
import { requireStep } from './require-step';
import { caseTimeoutFired } from '../controls/deadline';
import { isPaused } from '../controls/paused';

/**
 * TimerFired. A timer that no longer matters (the attempt finished, a heartbeat moved the
 * deadline, the task was decided, the case ended) changes nothing.
 * - `attempt-timeout`: the attempt fails with the retryable error `StepTimeout` (a compensation
 *   attempt fails and the next compensation runs);
 * - `retry`: the next attempt is dispatched with the input recorded for the run;
 * - `review-timeout`: the gate's `onTimeout` applies (escalate, approve or reject);
 * - `sla`: `SlaBreached`, once, if the case is still open;
 * - `case-timeout`: the case deadline (`controls/deadline.ts`). A retry due while paused waits for the resume.
 * @internal
 */
export async function timerFired(d: Draft, cmd: TimerFired): Promise<void> {
  await fire(d, cmd);
  if (d.events.length === 0 && d.ignored === undefined) ignore(d, isTerminal(d.state) ? 'case-ended' : 'stale-timer');
}

async function fire(d: Draft, cmd: TimerFired): Promise<void> {
  const { kind, stepId, attempt } = cmd.data;
  const now = d.ctx.now;
  if (kind === 'case-timeout') return caseTimeoutFired(d);
  if (kind === 'sla') {
    const due = d.state.slaDueAt;
    if (!isTerminal(d.state) && !d.state.slaBreached && due !== null && now >= due) {
      emit(d, { type: 'SlaBreached', data: { slaDueAt: due, breachedAt: now } });
    }
    return;
  }
  if (kind === 'attempt-timeout' && stepId?.startsWith(COMPENSATION_PREFIX)) {
    requireStep(d, stepId.slice(COMPENSATION_PREFIX.length));
    const current = d.state.compensation?.current;
    if (d.state.status !== 'compensating' || !current || `${COMPENSATION_PREFIX}${current.stepId}` !== stepId) return;
    if (current.attempt !== attempt || now < current.deadline) return;
    const error = { name: ENGINE_ERROR_NAMES.timeout, message: `compensation attempt ${attempt} passed its deadline`, retryable: true };
    emit(d, { type: 'CompensationFailed', data: { stepId: current.stepId, attempt: current.attempt, error, failedAt: now } });
    scheduleNextCompensation(d);
    return;
  }
  const item = stepId !== undefined ? parseMapItemStepId(stepId) : undefined;
  if (item) return mapItemTimer(d, item, cmd);
  requireStep(d, stepId);
  const id = stepId!;
  const st = stepState(d.state, id);
  if (!isActive(d.state)) return;
  switch (kind) {
    case 'attempt-timeout': {
      if (st.status !== 'running' || st.attempt !== attempt || st.deadline === undefined) return;
      if (isTimerStep(d.ctx.workflow.steps[id]!)) break; // a sleep or until wakes: advance settles it
      const due = Math.min(st.deadline, st.heartbeatDueAt ?? Infinity);
      if (now < due) return;
      const silent = now < st.deadline;
      const heartbeatMs = d.ctx.workflow.steps[id]!.heartbeatMs;
      const wait = d.ctx.workflow.steps[id]!.wait;
      const message = silent ? `attempt ${attempt} of step '${id}' sent no heartbeat within its heartbeat timeout of ${heartbeatMs} ms`
        : wait ? `step '${id}' waited for signal '${wait.signal}' until its timeout (attempt ${attempt})` : `attempt ${attempt} of step '${id}' passed its deadline`;
      const error = { name: ENGINE_ERROR_NAMES.timeout, message, retryable: true };
      const timeout = silent ? 'heartbeat' : wait ? 'wait' : 'schedule-to-close';
      emit(d, { type: 'StepTimedOut', data: { stepId: id, attempt, deadline: due, timeout, error, timedOutAt: now } });
      await afterAttemptFailure(d, id, error);
      break;
    }
    case 'retry':
      if (st.status !== 'retry-wait' || st.retryAttempt === undefined || st.retryAttempt !== attempt) return;
      if (isPaused(d.state)) return ignore(d, 'case-paused'); // the resume dispatches it
    {
      const error = scheduleAttempt(d, id, st.input, st.retryAttempt, st.fallbackFor);
      if (error !== undefined) await stepExhausted(d, id, error);
      break;
    }
    case 'review-timeout': {
      const task = st.taskId !== undefined ? d.state.tasks[st.taskId] : undefined;
      if (!task || task.status !== 'open' || task.escalated || task.attempt !== attempt) return;
      const review = d.ctx.workflow.steps[id]!.review!;
      if (review.onTimeout === 'escalate') {
        emit(d, { type: 'ReviewEscalated', data: { taskId: task.taskId, stepId: id, fromQueue: task.queue, queue: `${task.queue}.escalated`, escalatedAt: now } });
        return;
      }
      await applyReviewDecision(d, task, { decision: review.onTimeout, decidedBy: 'timeout' });
      break;
    }
  }
  await advance(d);
}
