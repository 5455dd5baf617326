import type { TimerFired } from '../../commands';
import type { Metering, StepError } from '../../step-error';
import { ENGINE_ERROR_NAMES } from '../../step-error';
import { emit, ignoreStale, type Draft } from '../draft';
import { stepExhausted } from '../failure';
import { afterItemFailure, dispatchItem, fill, itemOf } from '../map/fan-out';
import { advance } from '../progress';
import { isActive, stepState } from '../queries';
import type { MapItemState, MapState } from '../state';
import { requireStep } from './require-step';

/** An item's step id split: the map step and the item index (`parseMapItemStepId`). @internal */
export interface ItemRef { readonly stepId: string; readonly index: number }

/**
 * A result of item attempt `attempt`: its output (checked with `ctx.validateOutput`, a violation
 * fails the attempt non-retryably) or its error (retry per the step's policy, else the failure
 * policy); then the next items are dispatched and the case moves on. A result for an attempt
 * that is not the item's running one, or for a map step no longer running, changes nothing.
 * @throws {UnknownStep} when `stepId` is not a map step of the workflow
 * @internal
 */
export async function mapItemResult(d: Draft, ref: ItemRef, attempt: number, result: { output: unknown; metering?: Metering } | { error: StepError }): Promise<void> {
  const running = runningItem(d, ref, attempt);
  if (!running) return ignoreStale(d);
  const { stepId, index } = ref;
  const def = d.ctx.workflow.steps[stepId]!;
  let stepError: StepError | undefined;
  const problems = 'output' in result ? d.ctx.validateOutput?.(def.type, result.output) ?? [] : [];
  if ('error' in result || problems.length > 0) {
    const error = 'error' in result ? result.error : { name: ENGINE_ERROR_NAMES.outputSchemaViolation, message: problems.join('; '), retryable: false };
    stepError = afterItemFailure(d, stepId, index, attempt, error, false);
  } else {
    emit(d, {
      type: 'MapItemCompleted',
      data: { stepId, index, attempt, output: result.output ?? null, ...(result.metering && { metering: result.metering }), completedAt: d.ctx.now, durationMs: d.ctx.now - running.item.scheduledAt },
    });
  }
  await settle(d, stepId, stepError);
}

/**
 * An item's `attempt-timeout` (the attempt fails with `StepTimeout`, retryable) or `retry` timer
 * (the next attempt is dispatched). A timer whose item moved on changes nothing.
 * @internal
 */
export async function mapItemTimer(d: Draft, ref: ItemRef, cmd: TimerFired): Promise<void> {
  const { kind, attempt } = cmd.data;
  const { stepId, index } = ref;
  if (kind === 'attempt-timeout') {
    const running = runningItem(d, ref, attempt);
    if (!running || running.item.deadline === undefined || d.ctx.now < running.item.deadline) return;
    const error = { name: ENGINE_ERROR_NAMES.timeout, message: `attempt ${attempt} of item ${index} of map step '${stepId}' passed its deadline`, retryable: true };
    await settle(d, stepId, afterItemFailure(d, stepId, index, attempt!, error, true));
    return;
  }
  if (kind !== 'retry') return;
  const m = openMap(d, ref);
  const item = m && itemOf(m, index);
  if (!item || item.status !== 'retry-wait' || item.attempt !== attempt) return;
  await settle(d, stepId, dispatchItem(d, stepId, index, attempt));
}

/** A heartbeat of an item: items take none (their timeouts are schedule-to-close and start-to-close). @internal */
export function mapItemHeartbeat(d: Draft, ref: ItemRef): void {
  openMap(d, ref);
  ignoreStale(d);
}

/** After an item failed or finished: the step fails (fallback, compensation) or the next items go out; then the case moves on. */
async function settle(d: Draft, stepId: string, stepError: StepError | undefined): Promise<void> {
  const error = stepError ?? fill(d, stepId);
  if (error !== undefined) await stepExhausted(d, stepId, error);
  await advance(d);
}

function openMap(d: Draft, ref: ItemRef): MapState | undefined {
  const def = requireStep(d, ref.stepId);
  if (!def.map) requireStep(d, `${ref.stepId}#${ref.index}`); // throws UnknownStep: not a map step
  const st = stepState(d.state, ref.stepId);
  if (!isActive(d.state) || st.status !== 'running' || !st.map || ref.index >= st.map.items.length) return undefined;
  return st.map;
}

function runningItem(d: Draft, ref: ItemRef, attempt: number | undefined): { map: MapState; item: MapItemState } | undefined {
  const map = openMap(d, ref);
  const item = map && itemOf(map, ref.index);
  if (!map || !item || item.status !== 'running' || item.attempt !== attempt) return undefined;
  return { map, item };
}
