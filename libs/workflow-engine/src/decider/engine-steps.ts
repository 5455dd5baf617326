import type { StepDefinition } from '../definition/types';
import { ExpressionEvaluationError } from '../expression';
import { truthy } from './dispatch';
import { emit, type Draft } from './draft';
import { isTimerStep } from './engine-schedule';
import { caseContext, isActive, stepState } from './queries';
import { requestReview, reviewReason } from './review';
import type { ReceivedSignal } from './state';

/**
 * Completes the running attempt of an engine step with `output` (`StepCompleted`), then applies
 * its review gate like any step's.
 * @internal
 */
export async function completeEngineStep(d: Draft, stepId: string, output: unknown): Promise<void> {
  const st = stepState(d.state, stepId);
  const scheduledAt = st.attempts.find((a) => a.attempt === st.attempt)?.scheduledAt ?? d.ctx.now;
  emit(d, { type: 'StepCompleted', data: { stepId, attempt: st.attempt, output: output ?? null, completedAt: d.ctx.now, durationMs: d.ctx.now - scheduledAt } });
  const reason = await reviewReason(d, stepId);
  if (reason !== undefined) requestReview(d, stepId, reason);
}

/**
 * Settles the engine steps that can end now without outside input: a running `sleep` or `until`
 * whose wake-up time has come completes (output `{ wokeAt }`, ISO-8601), and a running `wait`
 * takes the first kept signal (oldest first) that matches it (`SignalConsumed`, then it completes
 * with the signal's payload).
 * @returns true when anything changed
 * @internal
 */
export async function settleEngineSteps(d: Draft): Promise<boolean> {
  let changed = false;
  for (const id of d.ctx.workflow.stepOrder) {
    if (!isActive(d.state)) break;
    const def = d.ctx.workflow.steps[id]!;
    const st = stepState(d.state, id);
    if (def.kind === undefined || st.status !== 'running' || st.deadline === undefined) continue;
    if (isTimerStep(def)) {
      if (d.ctx.now < st.deadline) continue;
      await completeEngineStep(d, id, { wokeAt: new Date(st.deadline).toISOString() });
      changed = true;
      continue;
    }
    for (const signal of Object.values(d.state.signals ?? {})) {
      if (signal.consumedBy !== undefined || !(await signalMatches(d, def, signal))) continue;
      emit(d, { type: 'SignalConsumed', data: { signalId: signal.signalId, stepId: id, attempt: st.attempt, at: d.ctx.now } });
      await completeEngineStep(d, id, signal.payload);
      changed = true;
      break;
    }
  }
  return changed;
}

/**
 * Whether a signal is for this `wait` step: same name, and its `correlate` (over
 * `{ case, steps, signal: {name, payload, principal} }`) truthy. A `correlate` that fails to
 * evaluate does not match: the signal stays kept.
 * @internal
 */
export async function signalMatches(d: Draft, def: StepDefinition, signal: Pick<ReceivedSignal, 'name' | 'payload' | 'principal'>): Promise<boolean> {
  if (def.wait?.signal !== signal.name) return false;
  const correlate = def.wait.correlate;
  if (!correlate) return true;
  const doc = { ...caseContext(d.state, d.ctx.workflow), signal: { name: signal.name, payload: signal.payload ?? null, principal: signal.principal ?? null } };
  try {
    return truthy(await correlate.evaluate(doc, d.ctx.now));
  } catch (e) {
    if (e instanceof ExpressionEvaluationError) return false;
    throw e;
  }
}
