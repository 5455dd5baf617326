import type { AdmitStep } from '../../commands';
import { dispatch, emit, ignoreStale, setTimer, type Draft } from '../draft';
import { timerId } from '../ids';
import { isActive, stepState } from '../queries';
import { requireStep } from './require-step';

/**
 * AdmitStep: the orchestrator's admission edge let a held request of the running attempt through.
 * Records `StepAdmitted` with the time it waited, restarts the attempt's deadline (and heartbeat
 * due time) from now, moves its timeout timer, and dispatches the request again, this time to be
 * sent. Waiting in the admission queue therefore never uses up the attempt's timeout. An
 * admission of an attempt that is no longer running (finished, abandoned, the case ended)
 * changes nothing.
 * @throws {UnknownStep}
 * @internal
 */
export function admitStep(d: Draft, cmd: AdmitStep): void {
  const { stepId, attempt, waitedMs } = cmd.data;
  const def = requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  if (!isActive(d.state) || st.status !== 'running' || st.attempt !== attempt) return ignoreStale(d);
  const caseId = d.state.caseId!;
  const deadline = d.ctx.now + def.timeoutMs;
  const heartbeatDueAt = def.heartbeatMs !== undefined ? d.ctx.now + def.heartbeatMs : undefined;
  emit(d, {
    type: 'StepAdmitted',
    data: { stepId, attempt, waitedMs: Math.max(0, Math.round(waitedMs)), deadline, ...(heartbeatDueAt !== undefined && { heartbeatDueAt }), at: d.ctx.now },
  });
  dispatch(d, {
    caseId, stepId, stepType: def.type, attempt, input: st.input ?? null, params: st.params ?? def.params, deadline,
    idempotencyKey: `${caseId}:${stepId}`, ...(def.startToCloseMs !== undefined && { startToCloseMs: def.startToCloseMs }),
  });
  setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: Math.min(deadline, heartbeatDueAt ?? Infinity), stepId, attempt });
}
