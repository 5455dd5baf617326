import type { CancelCase, RetryStep } from '../../commands';
import { emit, type Draft } from '../draft';
import { CaseAlreadyFinished, CaseNotRetryable } from '../errors';
import { windDown } from '../failure';
import { advance } from '../progress';
import { requireStep } from './require-step';

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
  const { stepId, requestedBy } = cmd.data;
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
  emit(d, { type: 'StepRetriedByOperator', data: { stepId, ...(requestedBy !== undefined && { requestedBy }), reset: ids, at: d.ctx.now } });
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
  if (s.status === 'cancelled' || (s.status === 'compensating' && s.compensation?.reason === 'case-cancelled')) return;
  if (s.status === 'completed' || s.status === 'failed' || s.status === 'compensating') throw new CaseAlreadyFinished(s.caseId!, s.status);
  const { reason, requestedBy } = cmd.data;
  emit(d, { type: 'CaseCancellationRequested', data: { reason, ...(requestedBy !== undefined && { requestedBy }), at: d.ctx.now } });
  windDown(d, 'case-cancelled');
}
