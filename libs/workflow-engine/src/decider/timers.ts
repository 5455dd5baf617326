import type { CaseEvent } from '../events';
import { COMPENSATION_PREFIX, timerId } from './ids';
import { mapItemStepId } from './map/ids';
import { mapItemTimers } from './map/timers';
import type { CaseState } from './state';

/**
 * The timers that can no longer matter once `event` is recorded on a case in `state` (the state
 * BEFORE the event): the timeout of an attempt or compensation that finished or was abandoned,
 * the retry timer of an abandoned retry, the timeout of a review that was decided or withdrawn,
 * and the SLA and the case deadline once the case ends. The decision cancels them; one that fires anyway is ignored.
 * The timer that fired is not listed: the timer loop deleted it when it claimed it.
 * @internal
 */
export function timersEndedBy(state: CaseState, event: CaseEvent): string[] {
  const caseId = state.caseId;
  if (caseId === null) return [];
  switch (event.type) {
    case 'MapItemCompleted':
    case 'MapItemFailed':
      return [timerId(caseId, 'attempt-timeout', mapItemStepId(event.data.stepId, event.data.index), event.data.attempt)];
    case 'StepFailed': {
      const st = state.steps[event.data.stepId];
      return st?.map ? mapItemTimers(caseId, st).map((t) => t.timerId) : [];
    }
    case 'StepCompleted':
    case 'StepAttemptFailed':
      return [timerId(caseId, 'attempt-timeout', event.data.stepId, event.data.attempt)];
    case 'CompensationCompleted':
    case 'CompensationFailed':
      return [timerId(caseId, 'attempt-timeout', `${COMPENSATION_PREFIX}${event.data.stepId}`, event.data.attempt)];
    case 'StepAbandoned': {
      const st = state.steps[event.data.stepId];
      if (st?.map) return mapItemTimers(caseId, st).map((t) => t.timerId);
      if (st?.status === 'retry-wait' && st.retryAttempt !== undefined) return [timerId(caseId, 'retry', st.stepId, st.retryAttempt)];
      return [timerId(caseId, 'attempt-timeout', event.data.stepId, event.data.attempt)];
    }
    case 'ReviewDecided':
    case 'ReviewWithdrawn': {
      const attempt = state.tasks[event.data.taskId]?.attempt;
      return attempt === undefined ? [] : [timerId(caseId, 'review-timeout', event.data.stepId, attempt)];
    }
    case 'CaseCompleted':
    case 'CaseFailed':
    case 'CaseCancelled':
      return [...(state.slaDueAt !== null ? [timerId(caseId, 'sla')] : []), ...(state.controls.deadlineAt !== null ? [timerId(caseId, 'case-timeout')] : [])];
    default:
      return [];
  }
}
