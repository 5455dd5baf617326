import type { StepError } from '../../step-error';
import { emit, setTimer, type Draft } from '../draft';
import { timerId } from '../ids';

/**
 * Dispatches one attempt of a sub-workflow step: `StepScheduled` (with `childCaseId` and
 * `childWorkflow`), the child case to start (key `<caseId>:<stepId>:<attempt>`) and the attempt's
 * timeout timer (the step's `timeout`, as for any step: past it the attempt times out and its
 * child is cancelled). A start `ctx.validateChild` refuses fails the attempt at once, non-retryably.
 * @returns the refused start's error, else undefined
 * @internal
 */
export function scheduleChild(d: Draft, stepId: string, input: unknown, attempt: number, fallbackFor?: string): StepError | undefined {
  const def = d.ctx.workflow.steps[stepId]!;
  const { name, version } = def.workflow!;
  const caseId = d.state.caseId!;
  const key = `${caseId}:${stepId}:${attempt}`;
  const childCaseId = d.ctx.childCaseId ? d.ctx.childCaseId(name, key) : `${name}:${key}`;
  const deadline = d.ctx.now + def.timeoutMs;
  emit(d, {
    type: 'StepScheduled',
    data: {
      stepId, stepType: def.type, attempt, input, params: def.params, deadline, idempotencyKey: `${caseId}:${stepId}`, scheduledAt: d.ctx.now,
      ...(fallbackFor !== undefined && { fallbackFor }), childCaseId, childWorkflow: { name, version },
    },
  });
  const child = { caseId: childCaseId, workflow: name, version, input, key, parent: { caseId, stepId, attempt } };
  const problem = d.ctx.validateChild?.(child);
  if (problem !== undefined) {
    const error = { name: problem.name, message: problem.message, retryable: false };
    emit(d, { type: 'StepAttemptFailed', data: { stepId, attempt, error, failedAt: d.ctx.now } });
    return error;
  }
  d.children.push(child);
  setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: deadline, stepId, attempt });
  return undefined;
}
