import type { Metering, StepError } from './step-error';

/** The kinds of durable timer the decider asks for. */
export type TimerKind = 'attempt-timeout' | 'retry' | 'review-timeout' | 'sla' | 'case-timeout';

/** Start a case of `ctx.workflow`. `key` is the caller's dedupe key; `triggeredBy` names the door (`http`, `kafka:baton.triggers`, ...). */
export interface StartCase { readonly type: 'StartCase'; readonly data: {
  readonly caseId: string; readonly input: unknown; readonly key?: string; readonly triggeredBy: string;
  /** Set when a sub-workflow step of another case starts this one. */
  readonly parent?: { readonly caseId: string; readonly stepId: string; readonly attempt: number };
  /** The tenant the case belongs to (absent: the default tenant). */
  readonly tenant?: string } }

/**
 * A child case started by attempt `attempt` of sub-workflow step `stepId` ended (its `ChildCaseEnded`
 * record on `baton.signals`): completed with the child's case output, or failed or cancelled with `error`.
 */
export interface ChildCaseEnded { readonly type: 'ChildCaseEnded'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly childCaseId: string;
  readonly status: 'completed' | 'failed' | 'cancelled'; readonly output?: unknown; readonly error?: StepError } }

/** A step consumer finished attempt `attempt` of `stepId` (or of `compensate:<stepId>`). */
export interface StepResultCompleted { readonly type: 'StepResultCompleted'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly output: unknown; readonly metering?: Metering } }

/** A step consumer's attempt failed. */
export interface StepResultFailed { readonly type: 'StepResultFailed'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly error: StepError } }

/** A step consumer is still working on the attempt (its `StepHeartbeat` record arrived). */
export interface StepHeartbeatReceived { readonly type: 'StepHeartbeatReceived'; readonly data: {
  readonly stepId: string; readonly attempt: number } }

/** A durable timer the decider asked for came due. */
export interface TimerFired { readonly type: 'TimerFired'; readonly data: {
  readonly timerId: string; readonly kind: TimerKind; readonly stepId?: string; readonly attempt?: number } }

/** A reviewer's decision on an open review task. `output` is required for `edit`. */
export interface DecideReview { readonly type: 'DecideReview'; readonly data: {
  readonly taskId: string; readonly decision: 'approve' | 'reject' | 'edit'; readonly output?: unknown;
  readonly comment?: string; readonly reviewer?: string;
  /** The authenticated caller who decided (the gateway's principal). */
  readonly principal?: string } }

/** Operator: re-open a failed case and re-run `stepId` and its dependents. */
export interface RetryStep { readonly type: 'RetryStep'; readonly data: {
  readonly stepId: string; readonly requestedBy?: string; readonly principal?: string } }

/** Operator: stop the case, undo its completed steps, end it cancelled. */
export interface CancelCase { readonly type: 'CancelCase'; readonly data: {
  readonly reason: string; readonly requestedBy?: string; readonly principal?: string } }

/**
 * Operator: re-derive from the events what should be pending for a running case and set it again
 * (every expected timer; the ready steps when nothing at all is pending). For a case the
 * stuck-case check reports.
 */
export interface RepairCase { readonly type: 'RepairCase'; readonly data: {
  readonly requestedBy?: string; readonly principal?: string } }

/**
 * A named signal for the case (`SignalCase` on `baton.signals`, or `POST /cases/{id}/signals/{name}`):
 * completes a `wait` step on that signal, or is kept until one waits. `signalId` is the caller's
 * idempotency key; `payload` the signal's JSON data (null when it has none); `principal` who sent it, when known.
 */
export interface ReceiveSignal { readonly type: 'ReceiveSignal'; readonly data: {
  readonly signalId: string; readonly name: string; readonly payload: unknown; readonly principal?: string } }

/**
 * Operator: hold the case: nothing new starts (no dispatch, no retry, no timer-started step)
 * until `ResumeCase`; results of running attempts are still recorded. `principal` is the
 * authenticated caller, when the door knows it (it wins over `requestedBy`).
 */
export interface PauseCase { readonly type: 'PauseCase'; readonly data: {
  readonly reason?: string; readonly requestedBy?: string; readonly principal?: string } }

/** Operator: end a pause; what was held (ready steps, due retries, fallbacks) starts now. */
export interface ResumeCase { readonly type: 'ResumeCase'; readonly data: {
  readonly requestedBy?: string; readonly principal?: string } }

/**
 * Operator: run an open case again from `stepId`: the step and every step after it (its
 * dependents, and their fallbacks) are set back to pending, their running attempts abandoned and
 * open reviews withdrawn, then they run again as new attempts. History is kept.
 */
export interface ResetCase { readonly type: 'ResetCase'; readonly data: {
  readonly stepId: string; readonly reason?: string; readonly requestedBy?: string; readonly principal?: string } }

/**
 * The orchestrator's admission edge let a held step request through (its step type's concurrency
 * slot, rate token and circuit breaker allowed it) after it waited `waitedMs`. The attempt's
 * deadline starts again from now, and the request is dispatched.
 */
export interface AdmitStep { readonly type: 'AdmitStep'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly waitedMs: number } }

/**
 * Operator: resolve a step that ran out of attempts with `onExhausted: waitForOperator`:
 * `retry` runs a new attempt (a fresh retry budget); `skip` completes it with `output`
 * (checked against the step type's output contract).
 */
export interface ResolveExhaustedStep { readonly type: 'ResolveExhaustedStep'; readonly data: {
  readonly stepId: string; readonly action: 'retry' | 'skip'; readonly output?: unknown; readonly principal?: string } }

/** Every command `decide` accepts. */
export type CaseCommand =
  | StartCase | StepResultCompleted | StepResultFailed | StepHeartbeatReceived | TimerFired | DecideReview | RetryStep | CancelCase
  | RepairCase | ReceiveSignal
  | PauseCase | ResumeCase | ResetCase | ChildCaseEnded | AdmitStep | ResolveExhaustedStep;

/** The `type` of any case command. */
export type CaseCommandType = CaseCommand['type'];
