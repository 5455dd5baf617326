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
  /** Attempts dispatched for the step so far (absent in contexts recorded before it was shown). */
  readonly attempts?: number;
  /** The step's last error (a failed or timed-out attempt), else null. */
  readonly error?: StepError | null;
  /** The step's last review: the decision once decided (`status` open, decided or withdrawn), else null. */
  readonly review?: StepReviewSnapshot | null;
}

/** A step's review as expressions see it (`steps.classify.review.decision`). */
export interface StepReviewSnapshot {
  readonly status: 'open' | 'decided' | 'withdrawn';
  readonly queue: string;
  readonly decision: 'approve' | 'reject' | 'edit' | null;
  readonly decidedBy: 'reviewer' | 'timeout' | null;
  readonly reviewer: string | null;
  readonly comment: string | null;
}

/** The document JSONata expressions read, and what a reviewer sees. */
export interface CaseContext {
  readonly case: { readonly id: string; readonly input: unknown; readonly workflow: string; readonly version: number };
  readonly steps: Readonly<Record<string, StepSnapshot>>;
}

/** The step attempt of a parent case that started a child case (a sub-workflow step). */
export interface ParentRef { readonly caseId: string; readonly stepId: string; readonly attempt: number }

/**
 * A case began, pinned to `workflow`@`version`. `slaDueAt` is set when the workflow has an SLA;
 * `parent` when a sub-workflow step of another case started it.
 */
export interface CaseStarted { readonly type: 'CaseStarted'; readonly data: {
  readonly caseId: string; readonly workflow: string; readonly version: number; readonly input: unknown;
  readonly key?: string; readonly triggeredBy: string; readonly startedAt: number; readonly slaDueAt?: number;
  /** Set when the workflow has a case `timeout`: the case fails if still open then (epoch ms). */
  readonly deadlineAt?: number;
  readonly parent?: ParentRef;
  /** The tenant (namespace) of the case; absent: the default tenant. */
  readonly tenant?: string } }

/** An attempt was dispatched. `fallbackFor` is set when the step runs as another step's fallback. */
export interface StepScheduled { readonly type: 'StepScheduled'; readonly data: {
  readonly stepId: string; readonly stepType: string; readonly attempt: number; readonly input: unknown;
  readonly params: Readonly<Record<string, unknown>>; readonly deadline: number; readonly idempotencyKey: string;
  readonly scheduledAt: number; readonly fallbackFor?: string;
  /** With a heartbeat timeout: when the attempt times out unless a heartbeat comes first (epoch ms). */
  readonly heartbeatDueAt?: number;
  /** On a sub-workflow step: the child case this attempt starts, and its workflow. */
  readonly childCaseId?: string; readonly childWorkflow?: { readonly name: string; readonly version: number } } }

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

/**
 * An attempt passed its deadline: it failed with the retryable error `StepTimeout`. Version 2
 * (events/upcasters.ts): `timeout` says which timeout passed, and `deadline` is that timeout's due
 * time; version 1 left the kind to the error's message.
 */
export interface StepTimedOut { readonly type: 'StepTimedOut'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly deadline: number;
  readonly timeout: StepTimeoutKind; readonly error: StepError;
  readonly timedOutAt: number } }

/** Which timeout a `StepTimedOut` reports: the attempt's schedule-to-close, its heartbeat timeout, or a `wait` step's timeout. */
export type StepTimeoutKind = 'schedule-to-close' | 'heartbeat' | 'wait';

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
  readonly stepId: string; readonly attempt: number; readonly reason: 'case-failed' | 'case-cancelled' | 'case-reset'; readonly at: number } }

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
  readonly taskId: string; readonly stepId: string; readonly reason: 'case-failed' | 'case-cancelled' | 'case-reset'; readonly at: number } }

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

/**
 * A signal arrived for the case. With `stepId` it completed that waiting step at once
 * (`StepCompleted` follows, its output the payload); without, no step waited for it yet and it is
 * kept until one does (`SignalConsumed` then).
 */
export interface SignalReceived { readonly type: 'SignalReceived'; readonly data: {
  readonly signalId: string; readonly name: string; readonly payload: unknown; readonly principal?: string;
  readonly stepId?: string; readonly receivedAt: number } }

/** A kept signal was taken by `wait` step `stepId` when it started waiting (`StepCompleted` follows). */
export interface SignalConsumed { readonly type: 'SignalConsumed'; readonly data: {
  readonly signalId: string; readonly stepId: string; readonly attempt: number; readonly at: number } }

/**
 * The case is held: nothing new starts until `CaseResumed`. `by` is the operator (or `budget`
 * when a step result took the case over its budget).
 */
export interface CasePaused { readonly type: 'CasePaused'; readonly data: {
  readonly by: string; readonly reason?: string; readonly at: number } }

/** The pause ended; what was held starts in the same decision. */
export interface CaseResumed { readonly type: 'CaseResumed'; readonly data: {
  readonly by: string; readonly at: number } }

/**
 * An operator set the case back to `stepId`: every step in `reset` (the step, its dependents and
 * their fallbacks) is pending again and runs as new attempts (attempt numbers go on).
 */
export interface CaseReset { readonly type: 'CaseReset'; readonly data: {
  readonly stepId: string; readonly reset: readonly string[]; readonly by: string; readonly reason?: string; readonly at: number } }

/** The case passed its deadline (`timeout`) while open: it fails (abandon, compensate, `CaseFailed` with error `CaseTimeout`). */
export interface CaseTimedOut { readonly type: 'CaseTimedOut'; readonly data: {
  readonly deadlineAt: number; readonly timedOutAt: number } }

/**
 * A step result took the case over its `budget`: `usage` is the case's total after it (tokens =
 * input + output; cost in integer micro-dollars), `budget` the limits. `CasePaused` (by `budget`)
 * or the case's failure (error `BudgetExceeded`) follows, as `onExceeded` says. Recorded once per case.
 */
export interface CaseBudgetExceeded { readonly type: 'CaseBudgetExceeded'; readonly data: {
  readonly stepId: string; readonly attempt: number;
  readonly usage: { readonly tokens: number; readonly costMicros: number };
  readonly budget: { readonly tokens?: number; readonly costMicros?: number };
  readonly onExceeded: 'pause' | 'fail'; readonly at: number } }

/**
 * A `map` step began its fan-out: `items` (its `map.items` evaluated once, recorded here and
 * nowhere else) are the inputs of its items, run at most `maxConcurrency` at once. Item attempts
 * are numbered from `firstAttempt` (at most `maxAttempts` per item), so attempts of an earlier
 * run (an operator retry) stay recognisably stale. `fallbackFor` as on `StepScheduled`.
 */
export interface MapStarted { readonly type: 'MapStarted'; readonly data: {
  readonly stepId: string; readonly stepType: string; readonly items: readonly unknown[];
  readonly params: Readonly<Record<string, unknown>>; readonly maxConcurrency: number;
  readonly firstAttempt: number; readonly maxAttempts: number; readonly startedAt: number; readonly fallbackFor?: string } }

/** Item `index` of a `map` step was dispatched as `attempt` (request step id `<stepId>#<index>`); its input is `MapStarted.items[index]`. */
export interface MapItemScheduled { readonly type: 'MapItemScheduled'; readonly data: {
  readonly stepId: string; readonly stepType: string; readonly index: number; readonly attempt: number; readonly deadline: number;
  readonly idempotencyKey: string; readonly scheduledAt: number } }

/** Item `index` produced its output. */
export interface MapItemCompleted { readonly type: 'MapItemCompleted'; readonly data: {
  readonly stepId: string; readonly index: number; readonly attempt: number; readonly output: unknown;
  readonly metering?: Metering; readonly completedAt: number; readonly durationMs: number } }

/**
 * An item attempt failed (`timedOut`: it passed its deadline, `StepTimeout`). `final`: no attempt
 * follows (not retryable or out of attempts), the item failed for good; else `MapItemRetryScheduled` follows.
 */
export interface MapItemFailed { readonly type: 'MapItemFailed'; readonly data: {
  readonly stepId: string; readonly index: number; readonly attempt: number; readonly error: StepError;
  readonly timedOut: boolean; readonly final: boolean; readonly failedAt: number } }

/** The item's next attempt (`attempt`) runs at `dueAt` (backoff with jitter, the step's retry policy). */
export interface MapItemRetryScheduled { readonly type: 'MapItemRetryScheduled'; readonly data: {
  readonly stepId: string; readonly index: number; readonly attempt: number; readonly delayMs: number; readonly dueAt: number } }

/**
 * A held step request was admitted by the orchestrator's admission edge (concurrency, rate,
 * circuit breaker of its step type) after waiting `waitedMs`; the attempt's deadline restarts
 * at `deadline` (and its heartbeat due time at `heartbeatDueAt`).
 */
export interface StepAdmitted { readonly type: 'StepAdmitted'; readonly data: {
  readonly stepId: string; readonly attempt: number; readonly waitedMs: number; readonly deadline: number;
  readonly heartbeatDueAt?: number; readonly at: number } }

/**
 * A step with `onExhausted: waitForOperator` ran out of attempts with no fallback: instead of
 * failing the case it waits for an operator (task `taskId` in queue `operators`).
 */
export interface StepAwaitingOperator { readonly type: 'StepAwaitingOperator'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly stepType: string; readonly attempts: number;
  readonly error: StepError; readonly queue: string; readonly input: unknown; readonly requestedAt: number } }

/** An operator resolved a step waiting for one: `retry` (a new attempt follows) or `skip` (it completes with `output`). */
export interface ExhaustedStepResolved { readonly type: 'ExhaustedStepResolved'; readonly data: {
  readonly taskId: string; readonly stepId: string; readonly action: 'retry' | 'skip'; readonly output?: unknown;
  readonly principal?: string; readonly at: number } }

/** Every event a case stream can hold. */
export type CaseEvent =
  | CaseStarted | StepScheduled | StepDeadlineExtended | StepCompleted | StepAttemptFailed | StepTimedOut
  | StepRetryScheduled | StepSkipped | StepFailed | FallbackStarted | StepAbandoned
  | ReviewRequested | ReviewDecided | ReviewEscalated | ReviewWithdrawn
  | CompensationStarted | CompensationScheduled | CompensationCompleted | CompensationFailed
  | CaseCompleted | CaseFailed | CaseCancellationRequested | CaseCancelled | StepRetriedByOperator | SlaBreached | CaseRepaired
  | SignalReceived | SignalConsumed
  | CasePaused | CaseResumed | CaseReset | CaseTimedOut | CaseBudgetExceeded
  | MapStarted | MapItemScheduled | MapItemCompleted | MapItemFailed | MapItemRetryScheduled
  | StepAdmitted | StepAwaitingOperator | ExhaustedStepResolved;

/** The `type` of any case event. */
export type CaseEventType = CaseEvent['type'];

/** Every case event type name, for consumers that route or validate by name. */
export const CASE_EVENT_TYPES: readonly CaseEventType[] = Object.freeze([
  'CaseStarted', 'StepScheduled', 'StepDeadlineExtended', 'StepCompleted', 'StepAttemptFailed', 'StepTimedOut',
  'StepRetryScheduled', 'StepSkipped', 'StepFailed', 'FallbackStarted', 'StepAbandoned',
  'ReviewRequested', 'ReviewDecided', 'ReviewEscalated', 'ReviewWithdrawn',
  'CompensationStarted', 'CompensationScheduled', 'CompensationCompleted', 'CompensationFailed',
  'CaseCompleted', 'CaseFailed', 'CaseCancellationRequested', 'CaseCancelled', 'StepRetriedByOperator', 'SlaBreached',
  'CaseRepaired', 'SignalReceived', 'SignalConsumed',
  'CasePaused', 'CaseResumed', 'CaseReset', 'CaseTimedOut', 'CaseBudgetExceeded',
  'MapStarted', 'MapItemScheduled', 'MapItemCompleted', 'MapItemFailed', 'MapItemRetryScheduled', 'StepAdmitted', 'StepAwaitingOperator', 'ExhaustedStepResolved',
] as const);
