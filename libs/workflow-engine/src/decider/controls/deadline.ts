import { emit, setTimer, type Draft } from '../draft';
import { windDown } from '../failure';
import { timerId } from '../ids';
import { isActive } from '../queries';

/** The case deadline to record in `CaseStarted` (start + `timeout`), and its `case-timeout` timer. @internal */
export function armDeadline(d: Draft, caseId: string): number | undefined {
  const ms = d.ctx.workflow.caseTimeoutMs;
  if (ms === undefined) return undefined;
  const deadlineAt = d.ctx.now + ms;
  setTimer(d, { timerId: timerId(caseId, 'case-timeout'), kind: 'case-timeout', dueAt: deadlineAt });
  return deadlineAt;
}

/**
 * The `case-timeout` timer fired: a case still open (paused or not) at its deadline records
 * `CaseTimedOut` and fails as a failed step would fail it: running attempts and pending retries
 * abandoned, open reviews withdrawn, compensations run, then `CaseFailed` (step id `''`, error
 * `CaseTimeout`). The decision's `cancelTimers` holds every timer that made pointless. A case that
 * ended or is already winding down changes nothing.
 * @internal
 */
export function caseTimeoutFired(d: Draft): void {
  const due = d.state.controls.deadlineAt;
  if (!isActive(d.state) || due === null || d.ctx.now < due) return;
  emit(d, { type: 'CaseTimedOut', data: { deadlineAt: due, timedOutAt: d.ctx.now } });
  windDown(d, 'case-failed');
}
