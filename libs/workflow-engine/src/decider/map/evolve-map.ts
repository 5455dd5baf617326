import type { MapItemCompleted, MapItemFailed, MapItemRetryScheduled, MapItemScheduled, MapStarted } from '../../events';
import type { MapItemState, MapState, StepState } from '../state';
import { emptyChunks, getAt, setAt } from './chunks';

/** The events about a `map` step's fan-out. @internal */
export type MapEvent = MapStarted | MapItemScheduled | MapItemCompleted | MapItemFailed | MapItemRetryScheduled;

/**
 * Folds one fan-out event into its step. O(n / 128 + 128) per item event (see `chunks.ts`):
 * counters are kept, never recounted.
 * @internal
 */
export function evolveMap(st: StepState, e: MapEvent): StepState {
  if (e.type === 'MapStarted') {
    const d = e.data;
    const map: MapState = {
      items: d.items, startedAt: d.startedAt, maxConcurrency: d.maxConcurrency, firstAttempt: d.firstAttempt, maxAttempts: d.maxAttempts,
      next: 0, inFlight: 0, completed: 0, failed: 0, itemStates: emptyChunks<MapItemState>(d.items.length),
    };
    const rest: Partial<StepState> = { ...st };
    for (const k of ['retryAttempt', 'retryDueAt', 'output', 'completedAt', 'heartbeatDueAt', 'deadline', 'error'] as const) delete rest[k];
    return {
      ...(rest as StepState),
      ...rest, status: 'running', stepType: d.stepType, params: d.params, attempt: d.firstAttempt + d.maxAttempts - 1,
      runStartAttempt: d.firstAttempt, ...(d.fallbackFor !== undefined && { fallbackFor: d.fallbackFor }), map,
    };
  }
  const m = st.map!;
  const d = e.data;
  const item = getAt(m.itemStates, d.index);
  let next: MapState;
  switch (e.type) {
    case 'MapItemScheduled': {
      const fresh = item === null;
      const s: MapItemState = { status: 'running', attempt: e.data.attempt, scheduledAt: e.data.scheduledAt, deadline: e.data.deadline };
      next = { ...m, itemStates: setAt(m.itemStates, d.index, s), ...(fresh && { next: Math.max(m.next, d.index + 1), inFlight: m.inFlight + 1 }) };
      break;
    }
    case 'MapItemCompleted': {
      const s: MapItemState = { status: 'completed', attempt: d.attempt, scheduledAt: item!.scheduledAt, output: e.data.output };
      next = { ...m, itemStates: setAt(m.itemStates, d.index, s), inFlight: m.inFlight - 1, completed: m.completed + 1 };
      break;
    }
    case 'MapItemFailed': {
      const f = e.data;
      const s: MapItemState = { status: f.final ? 'failed' : 'running', attempt: f.attempt, scheduledAt: item!.scheduledAt, error: f.error };
      next = { ...m, itemStates: setAt(m.itemStates, d.index, s), ...(f.final && { inFlight: m.inFlight - 1, failed: m.failed + 1 }) };
      break;
    }
    case 'MapItemRetryScheduled': {
      const s: MapItemState = { ...item!, status: 'retry-wait', attempt: e.data.attempt, retryDueAt: e.data.dueAt };
      next = { ...m, itemStates: setAt(m.itemStates, d.index, s) };
      break;
    }
  }
  return { ...st, map: next };
}
