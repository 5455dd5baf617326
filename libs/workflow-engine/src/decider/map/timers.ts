import type { TimerRequest } from '../decision';
import { timerId } from '../ids';
import type { StepState } from '../state';
import { entries } from './chunks';
import { mapItemStepId } from './ids';

/**
 * The timers the in-flight items of a running map step hold: the `attempt-timeout` of each
 * running item attempt and the `retry` of each item waiting to retry (ids as the decider set
 * them). O(items dispatched): read when the step ends, by the stuck-case check and by repair.
 * @internal
 */
export function mapItemTimers(caseId: string, st: StepState): TimerRequest[] {
  const m = st.map;
  if (!m || m.inFlight === 0) return [];
  const timers: TimerRequest[] = [];
  for (const [index, item] of entries(m.itemStates)) {
    const stepId = mapItemStepId(st.stepId, index);
    if (item.status === 'running' && item.deadline !== undefined) {
      timers.push({ timerId: timerId(caseId, 'attempt-timeout', stepId, item.attempt), kind: 'attempt-timeout', dueAt: item.deadline, stepId, attempt: item.attempt });
    } else if (item.status === 'retry-wait' && item.retryDueAt !== undefined) {
      timers.push({ timerId: timerId(caseId, 'retry', stepId, item.attempt), kind: 'retry', dueAt: item.retryDueAt, stepId, attempt: item.attempt });
    }
  }
  return timers;
}
