import type { ResolveExhaustedStep } from '../../commands';
import type { StepError } from '../../step-error';
import { startStep } from '../dispatch';
import { emit, type Draft } from '../draft';
import { stepExhausted } from '../failure';
import { InvalidOperatorOutput, StepNotAwaitingOperator } from '../operator-errors';
import { advance } from '../progress';
import { isActive, stepState } from '../queries';
import { requireStep } from './require-step';

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

/**
 * ResolveExhaustedStep (operator): `retry` starts a new run of the step (a fresh retry budget,
 * the input evaluated again); `skip` completes it with the operator's `output`, which must match
 * the step type's output contract. Then the case moves on.
 * @throws {StepNotAwaitingOperator} when the step is not waiting for an operator
 * @throws {InvalidOperatorOutput} a skip without an output, or with one the contract refuses
 * @throws {UnknownStep}
 * @internal
 */
export async function resolveExhaustedStep(d: Draft, cmd: ResolveExhaustedStep): Promise<void> {
  const { stepId, action, output, principal } = cmd.data;
  const def = requireStep(d, stepId);
  const st = stepState(d.state, stepId);
  if (!isActive(d.state) || st.status !== 'awaiting-operator' || st.taskId === undefined) {
    throw new StepNotAwaitingOperator(d.state.caseId!, stepId, st.status);
  }
  if (action === 'skip') {
    const problems = output === undefined ? ['an output is required to skip'] : d.ctx.validateOutput?.(def.type, output) ?? [];
    if (problems.length > 0) throw new InvalidOperatorOutput(stepId, def.type, problems);
  }
  const at = d.ctx.now;
  emit(d, {
    type: 'ExhaustedStepResolved',
    data: { taskId: st.taskId, stepId, action, ...(action === 'skip' && { output }), ...(principal !== undefined && { principal }), at },
  });
  if (action === 'retry') {
    const error = await startStep(d, stepId, st.fallbackFor);
    if (error !== undefined) await stepExhausted(d, stepId, error);
  }
  await advance(d);
}
