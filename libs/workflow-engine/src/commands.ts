import type { Metering, StepError } from './step-error';

/** The kinds of durable timer the decider asks for. */
export type TimerKind = 'attempt-timeout' | 'retry' | 'review-timeout' | 'sla';

/** Start a case of `ctx.workflow`. `key` is the caller's dedupe key; `triggeredBy` names the door (`http`, `kafka:baton.triggers`, ...). */
export interface StartCase { readonly type: 'StartCase'; readonly data: {
  readonly caseId: string; readonly input: unknown; readonly key?: string; readonly triggeredBy: string;
  /** The tenant the case belongs to (absent: the default tenant). */
  readonly tenant?: string } }

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

/** Every command `decide` accepts. */
export type CaseCommand =
  | StartCase | StepResultCompleted | StepResultFailed | StepHeartbeatReceived | TimerFired | DecideReview | RetryStep | CancelCase
  | RepairCase;

/** The `type` of any case command. */
export type CaseCommandType = CaseCommand['type'];
