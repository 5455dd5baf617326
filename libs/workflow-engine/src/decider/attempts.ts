import type { CaseEvent } from '../events';
import { ENGINE_ERROR_NAMES, type Metering, type StepError } from '../step-error';
import { COMPENSATION_PREFIX } from './ids';
import { mapItemStepId } from './map/ids';
import type { AttemptRecord } from './state';

/**
 * What one event says about one attempt of a step or of a compensation (step id
 * `compensate:<stepId>`). The single reading of the attempt lifecycle: `evolve` keeps a step's
 * `attempts` with it, and the projections write `step_executions` rows from it. Times epoch ms.
 */
export type AttemptChange =
  | { kind: 'scheduled'; stepId: string; attempt: number; stepType: string; input: unknown; scheduledAt: number; deadline: number }
  | { kind: 'extended'; stepId: string; attempt: number; deadline: number }
  | { kind: 'completed'; stepId: string; attempt: number; output: unknown; finishedAt: number; durationMs?: number; metering?: Metering }
  | { kind: 'failed' | 'timed-out'; stepId: string; attempt: number; error: StepError; finishedAt: number }
  /** The running attempt was given up (a pending retry has no attempt yet: nothing changes for it). */
  | { kind: 'abandoned'; stepId: string; attempt: number; finishedAt: number };

/** The attempt change an event makes, or undefined for an event about no attempt. */
export function attemptChange(e: CaseEvent): AttemptChange | undefined {
  switch (e.type) {
    case 'StepScheduled': {
      const d = e.data;
      return { kind: 'scheduled', stepId: d.stepId, attempt: d.attempt, stepType: d.stepType, input: d.input, scheduledAt: d.scheduledAt, deadline: d.deadline };
    }
    case 'CompensationScheduled': {
      const d = e.data;
      return { kind: 'scheduled', stepId: d.compensationStepId, attempt: d.attempt, stepType: d.stepType, input: d.input, scheduledAt: d.scheduledAt, deadline: d.deadline };
    }
    case 'StepDeadlineExtended':
    case 'StepAdmitted':
      return { kind: 'extended', stepId: e.data.stepId, attempt: e.data.attempt, deadline: e.data.deadline };
    case 'StepCompleted': {
      const d = e.data;
      return { kind: 'completed', stepId: d.stepId, attempt: d.attempt, output: d.output, finishedAt: d.completedAt, durationMs: d.durationMs, ...(d.metering && { metering: d.metering }) };
    }
    case 'CompensationCompleted':
      return { kind: 'completed', stepId: `${COMPENSATION_PREFIX}${e.data.stepId}`, attempt: e.data.attempt, output: e.data.output, finishedAt: e.data.completedAt };
    case 'StepAttemptFailed':
      return { kind: 'failed', stepId: e.data.stepId, attempt: e.data.attempt, error: e.data.error, finishedAt: e.data.failedAt };
    case 'StepTimedOut':
      return { kind: 'timed-out', stepId: e.data.stepId, attempt: e.data.attempt, error: e.data.error, finishedAt: e.data.timedOutAt };
    case 'CompensationFailed': {
      const d = e.data;
      const kind = d.error.name === ENGINE_ERROR_NAMES.timeout ? 'timed-out' : 'failed';
      return { kind, stepId: `${COMPENSATION_PREFIX}${d.stepId}`, attempt: d.attempt, error: d.error, finishedAt: d.failedAt };
    }
    case 'StepAbandoned':
      return { kind: 'abandoned', stepId: e.data.stepId, attempt: e.data.attempt, finishedAt: e.data.at };
    case 'MapItemScheduled': {
      const d = e.data;
      return { kind: 'scheduled', stepId: mapItemStepId(d.stepId, d.index), attempt: d.attempt, stepType: d.stepType, input: null, scheduledAt: d.scheduledAt, deadline: d.deadline };
    }
    case 'MapItemCompleted': {
      const d = e.data;
      return { kind: 'completed', stepId: mapItemStepId(d.stepId, d.index), attempt: d.attempt, output: d.output, finishedAt: d.completedAt, durationMs: d.durationMs, ...(d.metering && { metering: d.metering }) };
    }
    case 'MapItemFailed': {
      const d = e.data;
      return { kind: d.timedOut ? 'timed-out' : 'failed', stepId: mapItemStepId(d.stepId, d.index), attempt: d.attempt, error: d.error, finishedAt: d.failedAt };
    }
    default:
      return undefined;
  }
}

/** A step's attempt records after `change` (of that step). @internal */
export function applyAttemptChange(attempts: readonly AttemptRecord[], change: AttemptChange): AttemptRecord[] {
  const patch = (p: Partial<AttemptRecord>, onlyRunning = false) =>
    attempts.map((a) => (a.attempt === change.attempt && (!onlyRunning || a.outcome === 'running') ? { ...a, ...p } : a));
  switch (change.kind) {
    case 'scheduled':
      return [...attempts, { attempt: change.attempt, scheduledAt: change.scheduledAt, deadline: change.deadline, outcome: 'running' }];
    case 'extended':
      return patch({ deadline: change.deadline });
    case 'completed':
      return patch({ outcome: 'completed', finishedAt: change.finishedAt, ...(change.metering && { metering: change.metering }) });
    case 'failed':
    case 'timed-out':
      return patch({ outcome: change.kind, finishedAt: change.finishedAt, error: change.error });
    case 'abandoned':
      return patch({ outcome: 'abandoned', finishedAt: change.finishedAt }, true);
  }
}
