import type { CaseEvent } from '../../events';
import type { ChildEndNotice } from '../decision';
import type { CaseState } from '../state';

/** What {@link childEffects} reads and sets of a decision in the making (a `Draft`'s fields; no import of it, to keep draft → effects one-way). */
export interface ChildEffectsTarget {
  readonly state: CaseState;
  readonly cancelChildren: string[];
  parentNotice?: ChildEndNotice;
}

/** Error names a parent's sub-workflow step fails with. */
export const CHILD_ERROR_NAMES = Object.freeze({
  /** The child case failed (retryable: a retry starts a new child). */
  failed: 'ChildCaseFailed',
  /** The child case was cancelled (non-retryable). */
  cancelled: 'ChildCaseCancelled',
});

/**
 * What an event about to be recorded means across cases (read on the state BEFORE it): a running
 * sub-workflow attempt that times out or is abandoned cancels its child case; an ending event of
 * a child case tells its parent (`parentNotice`).
 * @internal
 */
export function childEffects(d: ChildEffectsTarget, event: CaseEvent): void {
  const s = d.state;
  switch (event.type) {
    case 'StepTimedOut':
    case 'StepAbandoned': {
      const st = s.steps[event.data.stepId];
      if (st?.status === 'running' && st.childCaseId !== undefined && st.attempt === event.data.attempt) d.cancelChildren.push(st.childCaseId);
      return;
    }
    case 'CaseCompleted':
    case 'CaseFailed':
    case 'CaseCancelled': {
      const p = s.parent;
      if (!p || s.caseId === null) return;
      const base = { parentCaseId: p.caseId, stepId: p.stepId, attempt: p.attempt, childCaseId: s.caseId };
      const of = `child case ${s.caseId} (workflow ${s.workflow}@${s.workflowVersion})`;
      if (event.type === 'CaseCompleted') d.parentNotice = { ...base, status: 'completed', output: event.data.output };
      else if (event.type === 'CaseFailed') {
        const e = event.data.error;
        d.parentNotice = { ...base, status: 'failed', error: { name: CHILD_ERROR_NAMES.failed, message: `${of} failed at step '${event.data.stepId}': ${e.name}: ${e.message}`, retryable: true } };
      } else {
        d.parentNotice = { ...base, status: 'cancelled', error: { name: CHILD_ERROR_NAMES.cancelled, message: `${of} was cancelled: ${event.data.reason}`, retryable: false } };
      }
      return;
    }
    default:
      return;
  }
}
