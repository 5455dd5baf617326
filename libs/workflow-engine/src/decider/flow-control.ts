import type { ExhaustedStepResolved, StepAdmitted, StepAwaitingOperator } from '../events';
import { attemptsAfter, step } from './step-updates';
import type { CaseState } from './state';

/**
 * Folds the flow-control events (admission by the orchestrator's edge, a step waiting for an
 * operator after running out of attempts, and the operator's resolution). Pure, like `evolve`.
 * @internal
 */
export function applyFlowControl(s: CaseState, e: StepAdmitted | StepAwaitingOperator | ExhaustedStepResolved): CaseState {
  switch (e.type) {
    case 'StepAdmitted':
      return step(s, e.data.stepId, (st) => ({
        ...st, deadline: e.data.deadline, ...(e.data.heartbeatDueAt !== undefined && { heartbeatDueAt: e.data.heartbeatDueAt }),
        attempts: attemptsAfter(st, e),
      }));
    case 'StepAwaitingOperator': {
      const { deadline: _d, retryAttempt: _r, retryDueAt: _due, ...rest } = s.steps[e.data.stepId]!;
      return step(s, e.data.stepId, () => ({ ...rest, status: 'awaiting-operator', taskId: e.data.taskId, error: e.data.error }));
    }
    case 'ExhaustedStepResolved': {
      const d = e.data;
      if (d.action === 'retry') {
        // A new run: the retry budget counts again from the next attempt.
        return step(s, d.stepId, (st) => ({ ...st, status: 'pending', runStartAttempt: st.attempt + 1 }));
      }
      return {
        ...step(s, d.stepId, (st) => ({ ...st, status: 'completed', output: d.output ?? null, completedAt: d.at })),
        completionOrder: [...s.completionOrder.filter((id) => id !== d.stepId), d.stepId],
      };
    }
  }
}
