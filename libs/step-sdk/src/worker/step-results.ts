import { randomUUID } from 'node:crypto';
import type { Wire } from '@baton/contracts';

/** When and where an attempt ran. @internal */
export interface AttemptTimes { startedAt: number; finishedAt: number; worker: string }

/** The `StepCompleted` value of an attempt; `output` is already the output record's single-object encoding. @internal */
export function completedResult(r: Wire.StepRequest, output: Buffer, metering: Wire.Metering | null, t: AttemptTimes): Wire.StepCompleted {
  return { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, output, metering, ...t };
}

/** The `StepFailed` value of an attempt. @internal */
export function failedResult(r: Wire.StepRequest, error: Wire.StepError, t: AttemptTimes): Wire.StepFailed {
  return { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, error, ...t };
}

/** A `StepHeartbeat` of an attempt; `details` becomes JSON text. @internal */
export function heartbeatOf(r: Wire.StepRequest, at: number, details: unknown): Wire.StepHeartbeat {
  return { caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, at, details: details === undefined ? null : JSON.stringify(details) };
}

