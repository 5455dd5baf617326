import { isRetryable, retryDelay } from '../../retry';
import type { StepError } from '../../step-error';
import { dispatch, emit, setTimer, type Draft } from '../draft';
import { timerId } from '../ids';
import { stepState } from '../queries';
import type { MapState } from '../state';
import { entries, getAt } from './chunks';
import { mapItemStepId } from './ids';

/** The most a `map` step's item list may weigh as JSON (UTF-8 bytes): `MapStarted` carries it, and a case event must fit in one Kafka message. */
export const MAP_MAX_ITEMS_JSON_BYTES = 512 * 1024;

/** The most a `map` step's output list may weigh as JSON (UTF-8 bytes), for the same reason. */
export const MAP_MAX_OUTPUT_JSON_BYTES = 768 * 1024;

/** Error names of the fan-out. */
export const MAP_ERROR_NAMES = Object.freeze({
  /** The items list is above {@link MAP_MAX_ITEMS_JSON_BYTES} (non-retryable). */
  itemsTooLarge: 'MapItemsTooLarge',
  /** The output list is above {@link MAP_MAX_OUTPUT_JSON_BYTES} (non-retryable). */
  outputTooLarge: 'MapOutputTooLarge',
  /** With `failure: collect`, more items failed for good than tolerated (non-retryable). */
  toleranceExceeded: 'MapToleranceExceeded',
});

/**
 * Begins a `map` step's fan-out over `value` (what `map.items` gave: an array; null is no item,
 * any other value one item): `MapStarted`, then the first `maxConcurrency` items.
 * @returns the error that ends the step at once (items too large, or failures above the policy), else undefined
 * @internal
 */
export function startMap(d: Draft, stepId: string, value: unknown, fallbackFor?: string): StepError | undefined {
  const def = d.ctx.workflow.steps[stepId]!;
  const items = value === null ? [] : Array.isArray(value) ? value : [value];
  const bytes = new TextEncoder().encode(JSON.stringify(items)).length;
  if (bytes > MAP_MAX_ITEMS_JSON_BYTES) {
    return { name: MAP_ERROR_NAMES.itemsTooLarge, message: `step '${stepId}': field 'map.items': the ${items.length} items are ${bytes} bytes as JSON, above the limit of ${MAP_MAX_ITEMS_JSON_BYTES}`, retryable: false };
  }
  emit(d, {
    type: 'MapStarted',
    data: {
      stepId, stepType: def.type, items, params: def.params, maxConcurrency: def.map!.maxConcurrency,
      firstAttempt: stepState(d.state, stepId).attempt + 1, maxAttempts: def.retry.maxAttempts, startedAt: d.ctx.now,
      ...(fallbackFor !== undefined && { fallbackFor }),
    },
  });
  return fill(d, stepId);
}

/**
 * Dispatches items while slots are free; completes the step (`StepCompleted` with the item
 * outputs in order) once every item finished. An item whose request `ctx.validateInput` refuses
 * fails for good at once.
 * @returns the error that fails the step (the failure policy, or the output too large), else undefined
 * @internal
 */
export function fill(d: Draft, stepId: string): StepError | undefined {
  let m = mapOf(d, stepId);
  while (m.inFlight < m.maxConcurrency && m.next < m.items.length) {
    const index = m.next;
    const error = dispatchItem(d, stepId, index, m.firstAttempt);
    if (error) return error;
    m = mapOf(d, stepId);
  }
  if (m.completed + m.failed === m.items.length) return completeMap(d, stepId);
  return undefined;
}

/**
 * Dispatches attempt `attempt` of item `index` ({@link scheduleItem}); a refused request fails the
 * item for good and the failure policy decides.
 * @returns the error that fails the step, else undefined
 * @internal
 */
export function dispatchItem(d: Draft, stepId: string, index: number, attempt: number): StepError | undefined {
  const refused = scheduleItem(d, stepId, index, attempt);
  return refused === undefined ? undefined : policyError(d, stepId, index, refused);
}

/**
 * Dispatches one attempt of item `index`: `MapItemScheduled`, the request (step id
 * `<stepId>#<index>`, idempotency key `<caseId>:<stepId>#<index>`) and its attempt-timeout timer.
 * @returns the error of a refused request (the item then failed for good), else undefined
 * @internal
 */
function scheduleItem(d: Draft, stepId: string, index: number, attempt: number): StepError | undefined {
  const def = d.ctx.workflow.steps[stepId]!;
  const caseId = d.state.caseId!;
  const itemId = mapItemStepId(stepId, index);
  const deadline = d.ctx.now + def.timeoutMs;
  const idempotencyKey = `${caseId}:${itemId}`;
  emit(d, { type: 'MapItemScheduled', data: { stepId, stepType: def.type, index, attempt, deadline, idempotencyKey, scheduledAt: d.ctx.now } });
  const request = {
    caseId, stepId: itemId, stepType: def.type, attempt, input: mapOf(d, stepId).items[index], params: def.params, deadline, idempotencyKey,
    ...(def.startToCloseMs !== undefined && { startToCloseMs: def.startToCloseMs }),
  };
  const problem = d.ctx.validateInput?.(request, { mapped: true });
  if (problem !== undefined) {
    const error = { name: problem.name, message: problem.message, retryable: false };
    emit(d, { type: 'MapItemFailed', data: { stepId, index, attempt, error, timedOut: false, final: true, failedAt: d.ctx.now } });
    return error;
  }
  dispatch(d, request);
  setTimer(d, { timerId: timerId(caseId, 'attempt-timeout', itemId, attempt), kind: 'attempt-timeout', dueAt: deadline, stepId: itemId, attempt });
  return undefined;
}

/**
 * After a failed or timed-out item attempt: a retry after the step's backoff while its retry
 * policy allows, else the item failed for good and the failure policy decides.
 * @returns the error that fails the step, else undefined (the caller then calls {@link fill})
 * @internal
 */
export function afterItemFailure(d: Draft, stepId: string, index: number, attempt: number, error: StepError, timedOut: boolean): StepError | undefined {
  const def = d.ctx.workflow.steps[stepId]!;
  const m = mapOf(d, stepId);
  const attemptInRun = attempt - m.firstAttempt + 1;
  const retry = isRetryable(def.retry, error) && attemptInRun < def.retry.maxAttempts;
  emit(d, { type: 'MapItemFailed', data: { stepId, index, attempt, error, timedOut, final: !retry, failedAt: d.ctx.now } });
  if (!retry) return policyError(d, stepId, index, error);
  const delayMs = Math.max(retryDelay(def.retry, attemptInRun, d.ctx.random()), error.retryAfterMs ?? 0);
  const dueAt = d.ctx.now + delayMs;
  const itemId = mapItemStepId(stepId, index);
  emit(d, { type: 'MapItemRetryScheduled', data: { stepId, index, attempt: attempt + 1, delayMs, dueAt } });
  setTimer(d, { timerId: timerId(d.state.caseId!, 'retry', itemId, attempt + 1), kind: 'retry', dueAt, stepId: itemId, attempt: attempt + 1 });
  return undefined;
}

/** The step's error when item `index`, which just failed for good with `error`, takes the step's failures over its policy. */
function policyError(d: Draft, stepId: string, index: number, error: StepError): StepError | undefined {
  const policy = d.ctx.workflow.steps[stepId]!.map!;
  const m = mapOf(d, stepId);
  const what = `item ${index} of map step '${stepId}' failed for good: ${error.name}: ${error.message}`;
  if (policy.failure === 'failFast') return { name: error.name, message: what, retryable: false };
  const count = m.items.length;
  const over = policy.toleratedFailures !== undefined ? m.failed > policy.toleratedFailures
    : policy.toleratedFailurePercentage !== undefined ? m.failed * 100 > policy.toleratedFailurePercentage * count : false;
  if (!over) return undefined;
  const tolerated = policy.toleratedFailures !== undefined ? `${policy.toleratedFailures}` : `${policy.toleratedFailurePercentage}%`;
  return { name: MAP_ERROR_NAMES.toleranceExceeded, message: `${m.failed} of ${count} items failed for good, more than the ${tolerated} tolerated; the last: ${what}`, retryable: false };
}

/** `StepCompleted` with the outputs in item order; with `collect`, a failed item's place holds `{ error, attempts }`. */
function completeMap(d: Draft, stepId: string): StepError | undefined {
  const m = mapOf(d, stepId);
  const output: unknown[] = new Array(m.items.length).fill(null);
  for (const [i, item] of entries(m.itemStates)) {
    output[i] = item.status === 'completed' ? item.output : { error: item.error ?? null, attempts: item.attempt - m.firstAttempt + 1 };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(output)).length;
  if (bytes > MAP_MAX_OUTPUT_JSON_BYTES) {
    return { name: MAP_ERROR_NAMES.outputTooLarge, message: `step '${stepId}': the outputs of its ${m.items.length} items are ${bytes} bytes as JSON, above the limit of ${MAP_MAX_OUTPUT_JSON_BYTES}`, retryable: false };
  }
  const st = stepState(d.state, stepId);
  emit(d, { type: 'StepCompleted', data: { stepId, attempt: st.attempt, output, completedAt: d.ctx.now, durationMs: d.ctx.now - m.startedAt } });
  return undefined;
}

/** The fan-out state of a map step that began. @internal */
export function mapOf(d: Draft, stepId: string): MapState {
  return d.state.steps[stepId]!.map!;
}

/** The item's state, or null before it was dispatched. @internal */
export function itemOf(m: MapState, index: number) {
  return getAt(m.itemStates, index);
}
