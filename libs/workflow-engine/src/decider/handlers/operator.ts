import type { CancelCase, RepairCase, RetryStep } from '../../commands';
import { scheduleNextCompensation } from '../compensation';
import { emit, ignore, setTimer, type Draft } from '../draft';
import { CaseAlreadyFinished, CaseNotRetryable } from '../errors';
import { windDown } from '../failure';
import { advance } from '../progress';
import { requireStep } from './require-step';
import { diagnoseStuck, expectedTimers } from '../wake-ups';

/**
 * RetryStep (operator): re-opens a FAILED case. Resets to pending the named step, every step
 * that did not finish (failed, fallen back, abandoned), every step whose compensation completed
 * (its effect was undone), and everything that depends on those (and their fallbacks); then the
 * normal flow runs them again with fresh inputs and a fresh retry budget. Attempt numbers go on
 * from the last one, so results of earlier attempts stay recognisably stale.
 * Cancelled cases are not retryable: cancelling is a person's decision to stop.
 * @throws {CaseNotRetryable} when the case is not failed or the step is fallback-only
 * @throws {UnknownStep}
 * @internal
 */
export async function retryStep(d: Draft, cmd: RetryStep): Promise<void> {
  const { stepId, requestedBy, principal } = cmd.data;
  const def = requireStep(d, stepId);
  const s = d.state;
  if (s.status !== 'failed') throw new CaseNotRetryable(s.caseId!, s.status, 'only a failed case can be retried');
  if (def.fallbackFor !== undefined) {
    throw new CaseNotRetryable(s.caseId!, s.status, `step '${stepId}' is fallback-only; retry '${def.fallbackFor}' instead`);
  }
  const wf = d.ctx.workflow;
  const reset = new Set<string>([stepId]);
  for (const [id, st] of Object.entries(s.steps)) {
    if (st.compensated || !['pending', 'completed', 'skipped'].includes(st.status)) reset.add(id);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of wf.stepOrder) {
      if (reset.has(id)) continue;
      const step = wf.steps[id]!;
      const viaNeeds = step.needs.some((n) => reset.has(n));
      const viaFallback = step.fallbackFor !== undefined && reset.has(step.fallbackFor);
      if (viaNeeds || viaFallback) { reset.add(id); grew = true; }
    }
  }
  const ids = wf.stepOrder.filter((id) => reset.has(id) && (id === stepId || s.steps[id] !== undefined));
  emit(d, { type: 'StepRetriedByOperator', data: { stepId, ...(requestedBy !== undefined && { requestedBy }), ...(principal !== undefined && { principal }), reset: ids, at: d.ctx.now } });
  // The SLA timer fired while the case was failed (and changed nothing): a case re-opened past its SLA is in breach.
  const due = d.state.slaDueAt;
  if (due !== null && !d.state.slaBreached && d.ctx.now >= due) emit(d, { type: 'SlaBreached', data: { slaDueAt: due, breachedAt: d.ctx.now } });
  await advance(d);
}

/**
 * CancelCase (operator): abandons in-flight attempts, withdraws open review tasks, compensates the
 * completed steps in reverse order, then `CaseCancelled`. Cancelling a case that is already
 * cancelled, or compensating for a cancellation, changes nothing (redelivery is harmless).
 * @throws {CaseAlreadyFinished} when the case completed, failed, or is failing (compensating after a step failed)
 * @internal
 */
export function cancelCase(d: Draft, cmd: CancelCase): void {
  const s = d.state;
  if (s.status === 'cancelled' || (s.status === 'compensating' && s.compensation?.reason === 'case-cancelled')) return ignore(d, 'already-cancelled');
  if (s.status === 'completed' || s.status === 'failed' || s.status === 'compensating') throw new CaseAlreadyFinished(s.caseId!, s.status);
  const { reason, requestedBy, principal } = cmd.data;
  emit(d, { type: 'CaseCancellationRequested', data: { reason, ...(requestedBy !== undefined && { requestedBy }), ...(principal !== undefined && { principal }), at: d.ctx.now } });
  windDown(d, 'case-cancelled');
}

/**
 * RepairCase (operator): for a case that is not ended, sets again every timer the state expects
 * (`expectedTimers`: an upsert by id, so pending ones only get their due time restated; a past
 * due time fires at once), and when nothing at all is pending, moves the case on as the decider
 * would have (schedules the ready steps, or the next compensation). Records `CaseRepaired`.
 * An ended case changes nothing, so a redelivered or late repair is harmless.
 * @internal
 */
export async function repairCase(d: Draft, cmd: RepairCase): Promise<void> {
  const s = d.state;
  if (s.status === 'completed' || s.status === 'failed' || s.status === 'cancelled') return ignore(d, 'case-ended');
  const timers = expectedTimers(s);
  const advanced = diagnoseStuck(s, new Set(timers.map((t) => t.timerId)))?.nothingPending ?? false;
  const { requestedBy, principal } = cmd.data;
  emit(d, { type: 'CaseRepaired', data: { rearmed: timers.map((t) => t.timerId), advanced, ...(requestedBy !== undefined && { requestedBy }), ...(principal !== undefined && { principal }), at: d.ctx.now } });
  for (const t of timers) setTimer(d, t);
  if (!advanced) return;
  if (d.state.status === 'compensating') scheduleNextCompensation(d);
  else await advance(d);
}
