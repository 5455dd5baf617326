import type { ResolveExhaustedStep } from '../../commands';
import { startStep } from '../dispatch';
import { emit, type Draft } from '../draft';
import { stepExhausted } from '../failure';
import { InvalidOperatorOutput, StepNotAwaitingOperator } from '../operator-errors';
import { advance } from '../progress';
import { isActive, stepState } from '../queries';
import { requireStep } from './require-step';

export { OPERATOR_QUEUE } from '../await-operator';


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
