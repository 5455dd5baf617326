import { ExpressionEvaluationError } from '../expression';
import { ENGINE_ERROR_NAMES } from '../step-error';
import { emit, timerId, type Draft } from './draft';
import { stepExhausted } from './failure';
import { caseContext, isActive, resolution, stepState } from './queries';

/**
 * Moves the case forward as far as it can go without outside input: skips steps whose needs were
 * all skipped or whose `when` is false, schedules every other ready step (all at once: parallel),
 * and completes the case when no step is left to run. Repeats until nothing changes, because a
 * skip can make further steps ready.
 * @internal
 */
export async function advance(d: Draft): Promise<void> {
  const wf = d.ctx.workflow;
  let changed = true;
  while (changed && isActive(d.state)) {
    changed = false;
    for (const id of wf.stepOrder) {
      if (!isActive(d.state)) return;
      const def = wf.steps[id]!;
      if (def.fallbackFor !== undefined || stepState(d.state, id).status !== 'pending') continue;
      const needs = def.needs.map((n) => resolution(d.state, n).kind);
      if (needs.includes('waiting')) continue;
      changed = true;
      if (needs.length > 0 && needs.every((k) => k === 'skipped')) {
        emit(d, { type: 'StepSkipped', data: { stepId: id, reason: 'needs-skipped', skippedAt: d.ctx.now } });
      } else {
        await startStep(d, id);
      }
    }
  }
  if (isActive(d.state)) completeIfDone(d);
}

/**
 * Evaluates a step's `when` and `input` against the case context and dispatches its first attempt
 * of the run (or skips it). A failing expression fails the step, non-retryable (`ExpressionError`).
 * @internal
 */
export async function startStep(d: Draft, stepId: string, fallbackFor?: string): Promise<void> {
  const def = d.ctx.workflow.steps[stepId]!;
  const context = caseContext(d.state, d.ctx.workflow);
  let field = 'when';
  try {
    if (def.when && !truthy(await def.when.evaluate(context, d.ctx.now))) {
      emit(d, { type: 'StepSkipped', data: { stepId, reason: 'when-false', skippedAt: d.ctx.now } });
      return;
    }
    field = 'input';
    const input = def.input ? await def.input.evaluate(context, d.ctx.now) : d.state.input;
    scheduleAttempt(d, stepId, input, stepState(d.state, stepId).attempt + 1, fallbackFor);
  } catch (e) {
    if (!(e instanceof ExpressionEvaluationError)) throw e;
    const error = { name: ENGINE_ERROR_NAMES.expression, message: `step '${stepId}': field '${field}': ${e.message}`, retryable: false };
    await stepExhausted(d, stepId, error);
  }
}

/** Dispatches one attempt: the event, the step request and its attempt-timeout timer. @internal */
export function scheduleAttempt(d: Draft, stepId: string, input: unknown, attempt: number, fallbackFor?: string): void {
  const def = d.ctx.workflow.steps[stepId]!;
  const caseId = d.state.caseId!;
  const deadline = d.ctx.now + def.timeoutMs;
  const idempotencyKey = `${caseId}:${stepId}`;
  emit(d, {
    type: 'StepScheduled',
    data: {
      stepId, stepType: def.type, attempt, input, params: def.params, deadline, idempotencyKey, scheduledAt: d.ctx.now,
      ...(fallbackFor !== undefined && { fallbackFor }),
    },
  });
  d.requests.push({ caseId, stepId, stepType: def.type, attempt, input, params: def.params, deadline, idempotencyKey });
  d.timers.push({ timerId: timerId(caseId, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: deadline, stepId, attempt });
}

function completeIfDone(d: Draft): void {
  const wf = d.ctx.workflow;
  const output: Record<string, unknown> = {};
  for (const id of wf.stepOrder) {
    if (wf.steps[id]!.fallbackFor !== undefined) continue;
    const r = resolution(d.state, id);
    if (r.kind === 'waiting') return;
    if (r.kind === 'done') output[id] = r.output;
  }
  emit(d, { type: 'CaseCompleted', data: { output, completedAt: d.ctx.now } });
}

/** JSONata truthiness for `when`: false, null, 0, '' and empty arrays are false. @internal */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  return Boolean(value);
}
