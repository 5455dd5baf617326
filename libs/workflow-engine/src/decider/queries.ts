import type { WorkflowDefinition } from '../definition/types';
import type { CaseContext, StepSnapshot } from '../events';
import { blankStep } from './evolve';
import type { CaseState, StepState } from './state';

/** The state of a step, `pending` when it has no event yet. */
export function stepState(state: CaseState, stepId: string): StepState {
  return state.steps[stepId] ?? blankStep(stepId);
}

/**
 * How a step counts for the steps that need it: `done` (completed, or fallen back to a fallback
 * that is done, with that fallback's output), `skipped`, or `waiting`.
 */
export function resolution(state: CaseState, stepId: string): { kind: 'done'; output: unknown } | { kind: 'skipped' } | { kind: 'waiting' } {
  const seen = new Set<string>();
  let st = stepState(state, stepId);
  while (st.status === 'fallen-back' && st.fallbackStepId !== undefined && !seen.has(st.stepId)) {
    seen.add(st.stepId);
    st = stepState(state, st.fallbackStepId);
  }
  if (st.status === 'completed') return { kind: 'done', output: st.output };
  if (st.status === 'skipped') return { kind: 'skipped' };
  return { kind: 'waiting' };
}

/** True when the case can still make progress (not compensating, not terminal). */
export function isActive(state: CaseState): boolean {
  return state.status === 'running' || state.status === 'awaiting-review';
}

/** True when the case ended (completed, failed or cancelled). */
export function isTerminal(state: CaseState): boolean {
  return state.status === 'completed' || state.status === 'failed' || state.status === 'cancelled';
}

/**
 * The JSONata document `{ case, steps }` (libs/workflow-engine/README.md, Rules: Input): every step that has started, with its
 * input, output (a fallen-back step shows its fallback's output) and status.
 */
export function caseContext(state: CaseState, workflow: WorkflowDefinition): CaseContext {
  const steps: Record<string, StepSnapshot> = {};
  for (const id of workflow.stepOrder) {
    const st = state.steps[id];
    if (!st || st.status === 'pending') continue;
    const r = resolution(state, id);
    steps[id] = { input: st.input ?? null, output: r.kind === 'done' ? r.output : (st.output ?? null), status: st.status };
  }
  return {
    case: { id: state.caseId!, input: state.input, workflow: state.workflow!, version: state.workflowVersion! },
    steps,
  };
}
