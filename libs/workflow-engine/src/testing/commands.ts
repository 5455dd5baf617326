import type {
  CancelCase, DecideReview, ReceiveSignal, RetryStep, StartCase, StepHeartbeatReceived, StepResultCompleted, StepResultFailed, TimerFired, TimerKind, RepairCase,
  PauseCase, ResumeCase, ResetCase,
} from '../commands';

/** Terse command builders for specs. */
export const cmd = {
  start: (caseId = 'c-1', input: unknown = {}, key?: string): StartCase =>
    ({ type: 'StartCase', data: { caseId, input, ...(key !== undefined && { key }), triggeredBy: 'test' } }),
  completed: (stepId: string, attempt: number, output: unknown = {}): StepResultCompleted =>
    ({ type: 'StepResultCompleted', data: { stepId, attempt, output } }),
  failed: (stepId: string, attempt: number, name = 'Flaky', retryable = true, message = `${name} happened`): StepResultFailed =>
    ({ type: 'StepResultFailed', data: { stepId, attempt, error: { name, message, retryable } } }),
  heartbeat: (stepId: string, attempt: number): StepHeartbeatReceived => ({ type: 'StepHeartbeatReceived', data: { stepId, attempt } }),
  timer: (caseId: string, kind: TimerKind, stepId?: string, attempt?: number): TimerFired => ({
    type: 'TimerFired',
    data: { timerId: stepId === undefined ? `${caseId}:${kind}` : `${caseId}:${kind}:${stepId}:${attempt}`, kind,
      ...(stepId !== undefined && { stepId }), ...(attempt !== undefined && { attempt }) },
  }),
  review: (taskId: string, decision: 'approve' | 'reject' | 'edit', output?: unknown, comment?: string): DecideReview =>
    ({ type: 'DecideReview', data: { taskId, decision, ...(output !== undefined && { output }), ...(comment !== undefined && { comment }), reviewer: 'ann' } }),
  retry: (stepId: string): RetryStep => ({ type: 'RetryStep', data: { stepId, requestedBy: 'ops' } }),
  repair: (): RepairCase => ({ type: 'RepairCase', data: { requestedBy: 'ops' } }),
  cancel: (reason = 'no longer needed'): CancelCase => ({ type: 'CancelCase', data: { reason, requestedBy: 'ops' } }),
  signal: (name: string, payload: unknown = {}, signalId = `sig-${name}`): ReceiveSignal => ({ type: 'ReceiveSignal', data: { signalId, name, payload } }),
  pause: (reason?: string): PauseCase => ({ type: 'PauseCase', data: { requestedBy: 'ops', ...(reason !== undefined && { reason }) } }),
  resume: (): ResumeCase => ({ type: 'ResumeCase', data: { requestedBy: 'ops' } }),
  reset: (stepId: string): ResetCase => ({ type: 'ResetCase', data: { stepId, requestedBy: 'ops' } }),
  /** A completed result with metering: `tokens` split as input/output, `costUsd` in dollars. */
  metered: (stepId: string, attempt: number, inputTokens: number, outputTokens: number, costUsd: number): StepResultCompleted =>
    ({ type: 'StepResultCompleted', data: { stepId, attempt, output: {}, metering: { model: 'm', inputTokens, outputTokens, costUsd } } }),
};

/** The event types of a list of events, for terse assertions. */
export function typesOf(events: readonly { type: string }[]): string[] {
  return events.map((e) => e.type);
}
