import type { Metering, StepError } from './step-error';

/*
 * Case events: the storage contract of the event store and of `baton.case-events`.
 * Type names and data fields must never be renamed; add optional fields instead.
 * Every time is epoch ms taken from the decider's clock (`ctx.now`). Everything the decider
 * evaluated (step inputs, `when` results, jittered retry delays, deadlines) is recorded here, so
 * `evolve` never evaluates anything and replay is deterministic.
 */

/** Step input/output/status as the JSONata context and the review context show it. */
export interface StepSnapshot {
  readonly input: unknown;
  readonly output: unknown;
  readonly status: string;
}

/** The document JSONata expressions read, and what a reviewer sees. */
export interface CaseContext {
  readonly case: { readonly id: string; readonly input: unknown; readonly workflow: string; readonly version: number };
  readonly steps: Readonly<Record<string, StepSnapshot>>;
}

/** A case began, pinned to `workflow`@`version`. `slaDueAt` is set when the workflow has an SLA. */
export interface CaseStarted { readonly type: 'CaseStarted'; readonly data: {
  readonly caseId: string; readonly workflow: string; readonly version: number; readonly input: unknown;
  readonly key?: string; readonly triggeredBy: string; readonly startedAt: number; readonly slaDueAt?: number;
  /** The tenant (namespace) of the case; absent: the default tenant. */
  readonly tenant?: string } }

/** An attempt was dispatched. `fallbackFor` is set when the step runs as another step's fallback. */
export interface StepScheduled { readonly type: 'StepScheduled'; readonly data: {
  readonly stepId: string; readonly stepType: string; readonly attempt: number; readonly input: unknown;
  readonly params: Readonly<Record<string, unknown>>; readonly deadline: number; readonly idempotencyKey: string;
  readonly scheduledAt: number; readonly fallbackFor?: string;
  /** With a heartbeat timeout: when the attempt times out unless a heartbeat comes first (epoch ms). */
  readonly heartbeatDueAt?: number } }

/** A heartbeat pushed the running attempt's deadline to `deadline` (and, with a heartbeat timeout, its heartbeat due time). */
export interface StepDeadlineExtended { readonly type: 'StepDeadlineExtended'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly deadline: number; readonly heartbeatDueAt?: number; readonly at: number } }

/**
 * An attempt produced its output. When the step has a review gate that holds, `ReviewRequested`
 * follows and the step waits for the decision before it counts as completed.
 */
export interface StepCompleted { readonly type: 'StepCompleted'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly output: unknown; readonly metering?: Metering;
  readonly completedAt: number; readonly durationMs: number } }

/** An attempt failed; `StepRetryScheduled` or `StepFailed` follows. */
export interface StepAttemptFailed { readonly type: 'StepAttemptFailed'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly error: StepError; readonly failedAt: number } }

/** An attempt passed its deadline: it failed with the retryable error `StepTimeout`. */
export interface StepTimedOut { readonly type: 'StepTimedOut'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly deadline: number; readonly error: StepError;
  readonly timedOutAt: number } }

/** The next attempt (`attempt`) runs at `dueAt` = failure time + `delayMs` (backoff with jitter). */
export interface StepRetryScheduled { readonly type: 'StepRetryScheduled'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly delayMs: number; readonly dueAt: number } }

/** The step will not run: its `when` was false, or every step it needs was skipped. */
export interface StepSkipped { readonly type: 'StepSkipped'; readonly data: {
  readonly stepId: string; readonly reason: 'when-false' | 'needs-skipped'; readonly skippedAt: number } }

/**
 * The step failed for good: attempts exhausted, a non-retryable error, a rejected review, or a
 * failing `when`/`input` expression (`attempts` 0). `fallbackStepId` is set when its fallback runs
 * next (`FallbackStarted` follows); otherwise the case fails.
 */
export interface StepFailed { readonly type: 'StepFailed'; readonly data: {
  readonly stepId: string; readonly attempts: number; readonly error: StepError; readonly failedAt: number;
  readonly fallbackStepId?: string } }

/** `fallbackStepId` runs in place of `stepId`; its output becomes `steps.<stepId>.output`. */
export interface FallbackStarted { readonly type: 'FallbackStarted'; readonly data: {
  readonly stepId: string; readonly fallbackStepId: string; readonly at: number } }

/** A running attempt or pending retry was given up because the case is failing or cancelled. */
export interface StepAbandoned { readonly type: 'StepAbandoned'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly reason: 'case-failed' | 'case-cancelled'; readonly at: number } }

/** A person must decide the step's output. `context` is the case input and every known step's input and output. */
export interface ReviewRequested { readonly type: 'ReviewRequested'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly stepType: string; readonly attempt: number;
  readonly queue: string; readonly reason: string; readonly output: unknown; readonly input: unknown;
  readonly context: CaseContext; readonly requestedAt: number; readonly dueAt?: number } }

/**
 * A review task was decided, by a person (`decidedBy: 'reviewer'`) or by its timeout
 * (`decidedBy: 'timeout'`, `onTimeout: approve|reject`). `output` is set for `edit`.
 */
export interface ReviewDecided { readonly type: 'ReviewDecided'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly decision: 'approve' | 'reject' | 'edit';
  readonly output?: unknown; readonly comment?: string; readonly reviewer?: string;
  /** Who decided, as authenticated by the gateway (absent for a timeout or an older event). */
  readonly principal?: string;
  readonly decidedBy: 'reviewer' | 'timeout'; readonly decidedAt: number } }

/** A review task timed out with `onTimeout: escalate`: it stays open, now in `queue` (`<fromQueue>.escalated`). */
export interface ReviewEscalated { readonly type: 'ReviewEscalated'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly fromQueue: string; readonly queue: string;
  readonly escalatedAt: number } }

/** An open review task was closed without a decision because the case is failing or cancelled. */
export interface ReviewWithdrawn { readonly type: 'ReviewWithdrawn'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly reason: 'case-failed' | 'case-cancelled'; readonly at: number } }

/** The case is being undone: `plan` lists the compensations, in the order they will run. */
export interface CompensationStarted { readonly type: 'CompensationStarted'; readonly data: {
  readonly reason: 'case-failed' | 'case-cancelled'; readonly plan: readonly { readonly stepId: string; readonly stepType: string }[];
  readonly at: number } }

/** A compensation request was dispatched for completed step `stepId` (request step id `compensationStepId` = `compensate:<stepId>`). */
export interface CompensationScheduled { readonly type: 'CompensationScheduled'; readonly data: {
  readonly stepId: string; readonly compensationStepId: string; readonly stepType: string; readonly attempt: number;
  readonly input: { readonly input: unknown; readonly output: unknown }; readonly deadline: number;
  readonly idempotencyKey: string; readonly scheduledAt: number } }

export interface CompensationCompleted { readonly type: 'CompensationCompleted'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly output: unknown; readonly completedAt: number } }

/** A compensation failed or timed out; it is recorded and the next compensation still runs. */
export interface CompensationFailed { readonly type: 'CompensationFailed'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly error: StepError; readonly failedAt: number } }

/** Every step completed or was skipped. `output` maps each completed step id to its output (a fallen-back step to its fallback's). */
export interface CaseCompleted { readonly type: 'CaseCompleted'; readonly data: {
  readonly output: Readonly<Record<string, unknown>>; readonly completedAt: number } }

/** The case failed because `stepId` failed with `error`; compensations have run. */
export interface CaseFailed { readonly type: 'CaseFailed'; readonly data: {
  readonly stepId: string; readonly error: StepError; readonly compensated: readonly string[];
  readonly compensationFailures: readonly { readonly stepId: string; readonly error: StepError }[]; readonly failedAt: number } }

/** An operator asked to cancel; abandonment and compensation follow, then `CaseCancelled`. */
export interface CaseCancellationRequested { readonly type: 'CaseCancellationRequested'; readonly data: {
  readonly reason: string; readonly requestedBy?: string; readonly principal?: string; readonly at: number } }

export interface CaseCancelled { readonly type: 'CaseCancelled'; readonly data: {
  readonly reason: string; readonly requestedBy?: string; readonly compensated: readonly string[];
  readonly compensationFailures: readonly { readonly stepId: string; readonly error: StepError }[]; readonly cancelledAt: number } }

/** An operator re-opened a failed case from `stepId`; every step in `reset` is pending again. */
export interface StepRetriedByOperator { readonly type: 'StepRetriedByOperator'; readonly data: {
  readonly stepId: string; readonly requestedBy?: string; readonly principal?: string; readonly reset: readonly string[]; readonly at: number } }

/**
 * An operator repaired a running case: the timers in `rearmed` were set again from the state
 * (ids as `timerId` makes them); `advanced` is true when nothing was pending and the ready steps
 * were scheduled.
 */
export interface CaseRepaired { readonly type: 'CaseRepaired'; readonly data: {
  readonly rearmed: readonly string[]; readonly advanced: boolean; readonly requestedBy?: string; readonly principal?: string; readonly at: number } }

/** The case was still open when its SLA ran out (counted, not enforced). */
export interface SlaBreached { readonly type: 'SlaBreached'; readonly data: {
  readonly slaDueAt: number; readonly breachedAt: number } }

/** Every event a case stream can hold. */
export type CaseEvent =
  | CaseStarted | StepScheduled | StepDeadlineExtended | StepCompleted | StepAttemptFailed | StepTimedOut
  | StepRetryScheduled | StepSkipped | StepFailed | FallbackStarted | StepAbandoned
  | ReviewRequested | ReviewDecided | ReviewEscalated | ReviewWithdrawn
  | CompensationStarted | CompensationScheduled | CompensationCompleted | CompensationFailed
  | CaseCompleted | CaseFailed | CaseCancellationRequested | CaseCancelled | StepRetriedByOperator | SlaBreached | CaseRepaired;

/** The `type` of any case event. */
export type CaseEventType = CaseEvent['type'];

/** Every case event type name, for consumers that route or validate by name. */
export const CASE_EVENT_TYPES: readonly CaseEventType[] = Object.freeze([
  'CaseStarted', 'StepScheduled', 'StepDeadlineExtended', 'StepCompleted', 'StepAttemptFailed', 'StepTimedOut',
  'StepRetryScheduled', 'StepSkipped', 'StepFailed', 'FallbackStarted', 'StepAbandoned',
  'ReviewRequested', 'ReviewDecided', 'ReviewEscalated', 'ReviewWithdrawn',
  'CompensationStarted', 'CompensationScheduled', 'CompensationCompleted', 'CompensationFailed',
  'CaseCompleted', 'CaseFailed', 'CaseCancellationRequested', 'CaseCancelled', 'StepRetriedByOperator', 'SlaBreached',
  'CaseRepaired',
] as const);
