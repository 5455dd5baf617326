import { ExpressionEvaluationError } from '../expression';
import { ENGINE_ERROR_NAMES, type StepError } from '../step-error';
import { dispatch, emit, setTimer, type Draft } from './draft';
import { timerId } from './ids';
import { engineInput, scheduleEngineAttempt } from './engine-schedule';
import { startMap } from './map/fan-out';
import { scheduleChild } from './sub-workflow/start-child';
import { caseContext, stepState } from './queries';

/**
 * Evaluates a step's `when` and `input` against the case context and dispatches its first attempt
 * of the run (or skips it).
 * @returns the error that ends the step at once, for the caller to apply (`stepExhausted`): a
 *   failing expression (`ExpressionError`) or an input `ctx.validateInput` refuses; else undefined
 * @internal
 */
export async function startStep(d: Draft, stepId: string, fallbackFor?: string): Promise<StepError | undefined> {
  const def = d.ctx.workflow.steps[stepId]!;
  const context = caseContext(d.state, d.ctx.workflow);
  let field = 'when';
  try {
    if (def.when && !truthy(await def.when.evaluate(context, d.ctx.now))) {
      emit(d, { type: 'StepSkipped', data: { stepId, reason: 'when-false', skippedAt: d.ctx.now } });
      return undefined;
    }
    if (def.map) {
      field = 'map.items';
      return startMap(d, stepId, await def.map.items.evaluate(context, d.ctx.now), fallbackFor);
    }
    field = def.kind === 'until' ? 'until' : 'input';
    const input = def.kind !== undefined ? await engineInput(d, def) : def.input ? await def.input.evaluate(context, d.ctx.now) : d.state.input;
    return scheduleAttempt(d, stepId, input, stepState(d.state, stepId).attempt + 1, fallbackFor);
  } catch (e) {
    if (!(e instanceof ExpressionEvaluationError)) throw e;
    return { name: ENGINE_ERROR_NAMES.expression, message: `step '${stepId}': field '${field}': ${e.message}`, retryable: false };
  }
}

/**
 * Dispatches one attempt: `StepScheduled`, the step request and its attempt-timeout timer. When
 * `ctx.validateInput` refuses the request, the attempt fails at once (`StepAttemptFailed`,
 * non-retryable) and nothing is sent.
 * @returns the refused attempt's error (the caller ends the step with it), else undefined
 * @internal
 */
export function scheduleAttempt(d: Draft, stepId: string, input: unknown, attempt: number, fallbackFor?: string): StepError | undefined {
  const def = d.ctx.workflow.steps[stepId]!;
  if (def.kind !== undefined) {
    scheduleEngineAttempt(d, stepId, input, attempt, fallbackFor);
    return undefined;
  }
  if (def.workflow) return scheduleChild(d, stepId, input, attempt, fallbackFor);
  const caseId = d.state.caseId!;
  const deadline = d.ctx.now + def.timeoutMs;
  const heartbeatDueAt = def.heartbeatMs !== undefined ? d.ctx.now + def.heartbeatMs : undefined;
  const idempotencyKey = `${caseId}:${stepId}`;
  emit(d, {
    type: 'StepScheduled',
    data: {
      stepId, stepType: def.type, attempt, input, params: def.params, deadline, idempotencyKey, scheduledAt: d.ctx.now,
      ...(fallbackFor !== undefined && { fallbackFor }), ...(heartbeatDueAt !== undefined && { heartbeatDueAt }),
    },
  });
  const request = {
    caseId, stepId, stepType: def.type, attempt, input, params: def.params, deadline, idempotencyKey,
    ...(def.startToCloseMs !== undefined && { startToCloseMs: def.startToCloseMs }),
  };
  const problem = d.ctx.validateInput?.(request, { mapped: def.input !== undefined });
  if (problem !== undefined) {
    const error = { name: problem.name, message: problem.message, retryable: false };
    emit(d, { type: 'StepAttemptFailed', data: { stepId, attempt, error, failedAt: d.ctx.now } });
    return error;
  }
  dispatch(d, request);
  setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: Math.min(deadline, heartbeatDueAt ?? Infinity), stepId, attempt });
  return undefined;
}

/** JSONata truthiness for `when`: false, null, 0, '' and empty arrays are false. @internal */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  return Boolean(value);
}
