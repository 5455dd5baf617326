import type { ResetCase } from '../../commands';
import type { WorkflowDefinition } from '../../definition/types';
import { emit, type Draft } from '../draft';
import { requireStep } from '../handlers/require-step';
import { advance } from '../progress';
import { isActive } from '../queries';
import { CaseNotResettable } from './errors';
import { actor } from './paused';

/**
 * ResetCase (operator): runs an open case again from `stepId`. The step, every step that needs it
 * (transitively) and their fallbacks are set back: their running attempts and pending retries are
 * abandoned (`StepAbandoned`, `case-reset`), their open reviews withdrawn, then `CaseReset` sets
 * them pending and the normal flow runs them again as new attempts (numbers go on, so results of
 * the old attempts stay stale). Nothing is compensated. While paused, they wait for the resume.
 * @throws {UnknownStep} when the workflow has no such step
 * @throws {CaseNotResettable} when the case is not open (ended, or compensating), or the step is fallback-only
 * @internal
 */
export async function resetCase(d: Draft, cmd: ResetCase): Promise<void> {
  const { stepId, reason } = cmd.data;
  const def = requireStep(d, stepId);
  const s = d.state;
  if (!isActive(s)) throw new CaseNotResettable(s.caseId!, s.status, 'only an open case can be reset (retry a failed one)');
  if (def.fallbackFor !== undefined) throw new CaseNotResettable(s.caseId!, s.status, `step '${stepId}' is fallback-only; reset '${def.fallbackFor}' instead`);
  const from = stepsFrom(d.ctx.workflow, stepId);
  const at = d.ctx.now;
  for (const id of from) {
    const st = d.state.steps[id];
    if (st?.status === 'running' || st?.status === 'retry-wait') {
      emit(d, { type: 'StepAbandoned', data: { stepId: id, attempt: st.attempt, reason: 'case-reset', at } });
    } else if (st?.status === 'awaiting-review' && st.taskId !== undefined) {
      emit(d, { type: 'ReviewWithdrawn', data: { taskId: st.taskId, stepId: id, reason: 'case-reset', at } });
    }
  }
  const reset = from.filter((id) => id === stepId || d.state.steps[id] !== undefined);
  emit(d, { type: 'CaseReset', data: { stepId, reset, by: actor(cmd.data), ...(reason !== undefined && { reason }), at } });
  await advance(d);
}

/** `stepId` and every step after it: its dependents through `needs`, transitively, and the fallbacks of all of them; in declaration order. */
function stepsFrom(wf: WorkflowDefinition, stepId: string): string[] {
  const from = new Set([stepId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const id of wf.stepOrder) {
      const step = wf.steps[id]!;
      if (from.has(id) || !(step.needs.some((n) => from.has(n)) || (step.fallbackFor !== undefined && from.has(step.fallbackFor)))) continue;
      from.add(id);
      grew = true;
    }
  }
  return wf.stepOrder.filter((id) => from.has(id));
}
