import type { StepError } from '../step-error';
import { emit, type Draft } from './draft';
import { stepState } from './queries';

/** The queue the task of a step waiting for an operator is listed in (`GET /tasks?queue=operators`). */
export const OPERATOR_QUEUE = 'operators';

/**
 * A step with `onExhausted: waitForOperator` ran out of attempts with no fallback: it waits for
 * an operator (`StepAwaitingOperator`, task `<caseId>:operator:<stepId>:<attempt>`) instead of
 * failing the case. Other branches of the case go on.
 * @internal
 */
export function awaitOperator(d: Draft, stepId: string, attempts: number, error: StepError): void {
  const def = d.ctx.workflow.steps[stepId]!;
  const st = stepState(d.state, stepId);
  const caseId = d.state.caseId!;
  emit(d, {
    type: 'StepAwaitingOperator',
    data: {
      taskId: `${caseId}:operator:${stepId}:${st.attempt}`, stepId, stepType: def.type, attempts, error,
      queue: OPERATOR_QUEUE, input: st.input ?? null, requestedAt: d.ctx.now,
    },
  });
}
