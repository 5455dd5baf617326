import { randomUUID } from 'node:crypto';
import type { Metering, StepCompleted, StepError, StepFailed, StepHeartbeat, StepRequest } from '@baton/contracts';

/** When and where an attempt ran. @internal */
export interface AttemptTimes { startedAt: number; finishedAt: number; worker: string }

/** The `StepCompleted` value of an attempt; `output` is already the output record's single-object encoding. @internal */
export function completedResult(r: StepRequest, output: Buffer, metering: Metering | null, t: AttemptTimes): StepCompleted {
  return { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, output, metering, ...t };
}

/** The `StepFailed` value of an attempt. @internal */
export function failedResult(r: StepRequest, error: StepError, t: AttemptTimes): StepFailed {
  return { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, error, ...t };
}

/** A `StepHeartbeat` of an attempt; `details` becomes JSON text. @internal */
export function heartbeatOf(r: StepRequest, at: number, details: unknown): StepHeartbeat {
  return { caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, at, details: details === undefined ? null : JSON.stringify(details) };
}

