import type { StepDefinition } from '../definition/types';
import { ExpressionEvaluationError } from '../expression';
import { emit, setTimer, type Draft } from './draft';
import { timerId } from './ids';
import { caseContext } from './queries';

/**
 * The input an engine step records in its `StepScheduled`: `{ signal }` for a wait,
 * `{ sleepMs }` for a sleep, `{ until }` (ISO-8601) for an until, its expression evaluated once here
 * so that replay reads the time instead of evaluating it again.
 * @throws {ExpressionEvaluationError} when `until` fails or gives no timestamp (the caller fails the step, `ExpressionError`)
 * @internal
 */
export async function engineInput(d: Draft, def: StepDefinition): Promise<unknown> {
  switch (def.kind) {
    case 'wait': return { signal: def.wait!.signal };
    case 'sleep': return { sleepMs: def.sleepMs! };
    default: {
      const value = await def.until!.evaluate(caseContext(d.state, d.ctx.workflow), d.ctx.now);
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) {
        throw new ExpressionEvaluationError(def.until!.source, `gave ${JSON.stringify(value)}, not a timestamp (ISO-8601 text or epoch ms)`);
      }
      return { until: new Date(ms).toISOString() };
    }
  }
}

/**
 * Starts an attempt of an engine step: `StepScheduled` (no request is sent: no consumer runs)
 * and its `attempt-timeout` timer at the deadline. A wait's deadline is its timeout, a sleep's its
 * wake-up time, an until's the recorded `until` time; a deadline already reached is settled by
 * `settleEngineSteps` in the same decision.
 * @internal
 */
export function scheduleEngineAttempt(d: Draft, stepId: string, input: unknown, attempt: number, fallbackFor?: string): void {
  const def = d.ctx.workflow.steps[stepId]!;
  const caseId = d.state.caseId!;
  const deadline = def.kind === 'until' ? Date.parse((input as { until: string }).until) : d.ctx.now + def.timeoutMs;
  emit(d, {
    type: 'StepScheduled',
    data: {
      stepId, stepType: def.type, attempt, input, params: {}, deadline, idempotencyKey: `${caseId}:${stepId}`, scheduledAt: d.ctx.now,
      ...(fallbackFor !== undefined && { fallbackFor }),
    },
  });
  setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', stepId, attempt), kind: 'attempt-timeout', dueAt: deadline, stepId, attempt });
}

/** True for a `sleep` or `until` step: its attempt timer wakes it (completes it) instead of timing it out. @internal */
export function isTimerStep(def: StepDefinition): boolean {
  return def.kind === 'sleep' || def.kind === 'until';
}
