import type { WorkflowDefinition } from '../definition/types';
import type { CaseContext, StepReviewSnapshot, StepSnapshot } from '../events';
import type { StepError } from '../step-error';
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

/** The error of the step's latest attempt that failed or timed out (a completed step keeps it here), else null. */
function lastError(st: StepState): StepError | null {
  for (let i = st.attempts.length - 1; i >= 0; i--) if (st.attempts[i]!.error) return st.attempts[i]!.error!;
  return null;
}

/** The step's last review task as expressions see it, or null when it never had one. */
function reviewSnapshot(state: CaseState, st: StepState): StepReviewSnapshot | null {
  const task = st.taskId !== undefined ? state.tasks[st.taskId] : undefined;
  if (!task) return null;
  return {
    status: task.status, queue: task.queue, decision: task.decision ?? null, decidedBy: task.decidedBy ?? null,
    reviewer: task.reviewer ?? null, comment: task.comment ?? null,
  };
}

/**
 * The JSONata document `{ case, steps }` (libs/workflow-engine/README.md, Rules: Input): every step that has started, with its
 * input, output (a fallen-back step shows its fallback's output), status, attempts (dispatched so
 * far), its last error (or null) and its last review (`review.decision`, `reviewer`, `comment`, or null).
 */
export function caseContext(state: CaseState, workflow: WorkflowDefinition): CaseContext {
  const steps: Record<string, StepSnapshot> = {};
  for (const id of workflow.stepOrder) {
    const st = state.steps[id];
    if (!st || st.status === 'pending') continue;
    const r = resolution(state, id);
    steps[id] = {
      input: st.input ?? null, output: r.kind === 'done' ? r.output : (st.output ?? null), status: st.status,
      attempts: st.attempts.length, error: st.error ?? lastError(st), review: reviewSnapshot(state, st),
    };
  }
  return {
    case: { id: state.caseId!, input: state.input, workflow: state.workflow!, version: state.workflowVersion! },
    steps,
  };
}
