import type { TriggerDefinition, TriggerInput } from './triggers';
import type { CompiledExpression } from '../expression';

/** What a reviewer's silence does when a review task times out. */
export type ReviewTimeoutAction = 'escalate' | 'approve' | 'reject';

/** A retry policy as written: durations are ISO-8601 strings. Every field is optional. */
export interface RetryPolicyInput {
  maxAttempts?: number;
  initialInterval?: string;
  backoffCoefficient?: number;
  maxInterval?: string;
  /** 0..1: the delay is multiplied by a factor drawn from [1 - jitter, 1 + jitter). */
  jitter?: number;
  /** Error names that are never retried. */
  nonRetryable?: string[];
}

/** A human-in-the-loop gate as written. */
export interface ReviewInput {
  /** JSONata over `{ output, input, case, steps }`; absent: always review. */
  when?: string;
  /** The task inbox queue; default `default`. */
  queue?: string;
  /** ISO-8601; absent: the task waits for ever. */
  timeout?: string;
  /** Default `escalate`. */
  onTimeout?: ReviewTimeoutAction;
}

/** One step as written in YAML or built in TypeScript. */
export interface StepInput {
  /** The step type: which consumers do the work (`text.classify`). Absent on an engine step (`wait`, `sleep`, `until`). */
  type?: string;
  needs?: string[];
  /** JSONata over `{ case, steps }`; false: the step is skipped. */
  when?: string;
  /** JSONata over `{ case, steps }` giving the step's input; absent: the case input. */
  input?: string;
  /** Static parameters sent with every request (model choice, thresholds). */
  with?: Record<string, unknown>;
  retry?: RetryPolicyInput;
  /**
   * ISO-8601, per attempt, from dispatch to result (schedule-to-close, after Temporal's name):
   * time the request waits in Kafka counts. The orchestrator's attempt timer enforces it; a
   * heartbeat moves it. Same as {@link StepInput.scheduleToClose}, which wins when both are given.
   */
  timeout?: string;
  /** ISO-8601: the per-attempt schedule-to-close timeout; the Temporal name of `timeout`. */
  scheduleToClose?: string;
  /**
   * ISO-8601, per attempt, from when the handler starts to its result (start-to-close), measured
   * by the step SDK: past it the SDK aborts the handler's signal and fails the attempt, retryably
   * (`StepTimeout`). At most the schedule-to-close timeout. Absent: only schedule-to-close applies.
   */
  startToClose?: string;
  /**
   * ISO-8601, the heartbeat timeout (Temporal's name): a running attempt that goes this long
   * without a heartbeat (counted from dispatch, then from its latest heartbeat) times out with
   * `StepTimeout`, retryable. At least PT2S (the step SDK sends at most one heartbeat a second).
   * Absent: silence is bounded by the schedule-to-close timeout only.
   */
  heartbeat?: string;
  /** Another step of this workflow, run when this one runs out of attempts. */
  fallback?: string;
  /** What a step that runs out of attempts with no fallback does: `fail` the case (default) or `waitForOperator`. */
  onExhausted?: 'fail' | 'waitForOperator';
  /** A step type run to undo this step if the case fails or is cancelled later. */
  compensate?: string;
  review?: ReviewInput;
  /** An engine step that waits for a signal (`POST /cases/{id}/signals/{name}` or `SignalCase` on `baton.signals`). */
  /** Dynamic fan-out: run the step type once per item of a list (see {@link MapInput}). */
  map?: MapInput;
  /** A sub-workflow step (`type: workflow`): each attempt starts a child case of this workflow version. */
  workflow?: SubWorkflowInput;
  wait?: WaitInput;
  /** An engine step that sleeps for this ISO-8601 duration (a durable timer). */
  sleep?: string;
  /** An engine step that sleeps until the time this JSONata expression over `{ case, steps }` gives (ISO-8601 text or epoch ms). */
  until?: string;
}

/** A `wait` as written. */
export interface WaitInput {
  /** The signal name to wait for (letters, digits, `.`, `_`, `-`). */
  signal: string;
  /** ISO-8601: how long to wait; past it the step times out (`StepTimeout`) to its fallback or failure. */
  timeout: string;
  /** JSONata over `{ case, steps, signal: {name, payload, principal} }`; a signal matches when it is truthy. Absent: every signal of that name matches. */
  correlate?: string;
}

/** The child workflow of a `type: workflow` step: a registered name and version. */
export interface SubWorkflowInput {
  name: string;
  version: number;
}

/**
 * A `map` step as written (after Step Functions' Map state): `items` is JSONata over
 * `{ case, steps }` giving the list; each item is the input of one item attempt of the step type.
 */
export interface MapInput {
  items: string;
  /** Items in flight at once (running or waiting to retry); default 20. */
  maxConcurrency?: number;
  /** `failFast` (default): the first item that fails for good fails the step; `collect`: every item runs. */
  failure?: MapFailurePolicy;
  /** With `collect`: the step fails once more items than this failed for good. */
  toleratedFailures?: number;
  /** With `collect`: the step fails once more than this percentage (0..100) of the items failed for good. */
  toleratedFailurePercentage?: number;
}

/** What an item that fails for good does to a `map` step. */
export type MapFailurePolicy = 'failFast' | 'collect';

/** A compiled `map` policy. */
export interface MapPolicy {
  readonly items: CompiledExpression;
  readonly maxConcurrency: number;
  readonly failure: MapFailurePolicy;
  readonly toleratedFailures?: number;
  readonly toleratedFailurePercentage?: number;
}

/** A workflow definition as written in YAML or built in TypeScript. */
export interface WorkflowDefinitionInput {
  name: string;
  version: number;
  /** Avro full name of the record a case input must match. */
  input?: string;
  /** ISO-8601; breaches are counted, not enforced. */
  sla?: string;
  /** ISO-8601: the case deadline, enforced: past it the case fails (`CaseTimedOut`). Unlike `sla`. */
  timeout?: string;
  /** Tokens and cost a case may use (from its steps' metering), and what exceeding it does. */
  budget?: CaseBudgetInput;
  /** What starts cases besides HTTP and Kafka: cron schedules and watched directories (README, "Triggers"). */
  triggers?: TriggerInput[];
  steps: Record<string, StepInput>;
}

/** A per-case budget as written: at least one of `tokens` and `cost`. */
export interface CaseBudgetInput {
  /** Input + output tokens over every step result of the case. */
  tokens?: number;
  /** US dollars, at most 6 decimals (kept as integer micro-dollars). */
  cost?: number;
  /** Default `pause`: the case waits for an operator's resume; `fail`: the case fails. */
  onExceeded?: 'pause' | 'fail';
}

/** A compiled case budget: cost in integer micro-dollars (1 USD = 1 000 000), so sums never drift. */
export interface CaseBudget {
  readonly tokens?: number;
  readonly costMicros?: number;
  readonly onExceeded: 'pause' | 'fail';
}

/** A retry policy with defaults applied; intervals in ms. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maxIntervalMs: number;
  readonly jitter: number;
  readonly nonRetryable: readonly string[];
}

/** A compiled review gate. */
export interface ReviewPolicy {
  readonly when?: CompiledExpression;
  readonly queue: string;
  readonly timeoutMs?: number;
  readonly onTimeout: ReviewTimeoutAction;
}

/** A compiled step: expressions compiled, durations in ms, defaults applied. */
export interface StepDefinition {
  readonly id: string;
  readonly type: string;
  readonly needs: readonly string[];
  readonly when?: CompiledExpression;
  readonly input?: CompiledExpression;
  readonly params: Readonly<Record<string, unknown>>;
  readonly retry: RetryPolicy;
  /** Schedule-to-close per attempt, ms (`scheduleToClose`, or `timeout`). */
  readonly timeoutMs: number;
  /** Start-to-close per attempt, ms, enforced by the step SDK; absent when not set. */
  readonly startToCloseMs?: number;
  /** Heartbeat timeout, ms; absent when not set. */
  readonly heartbeatMs?: number;
  readonly fallback?: string;
  /** `waitForOperator`: exhausted with no fallback, the step waits for an operator's `retry` or `skip` instead of failing the case. */
  readonly onExhausted?: 'waitForOperator';
  /** Set on a fallback-only step: the step it stands in for. Such a step is not scheduled in the normal flow. */
  readonly fallbackFor?: string;
  readonly compensate?: string;
  readonly review?: ReviewPolicy;
  /** Set on an engine step: the engine completes it itself, no step consumer runs (its `type` is `baton.<kind>`). */
  readonly kind?: EngineStepKind;
  /** On a `wait` step: the signal it waits for and its compiled `correlate`. */
  readonly wait?: { readonly signal: string; readonly correlate?: CompiledExpression };
  /** On a `sleep` step: how long it sleeps, ms. */
  readonly sleepMs?: number;
  /** On an `until` step: the compiled timestamp expression. */
  readonly until?: CompiledExpression;
  /** Set on a `map` step: the fan-out policy. */
  readonly map?: MapPolicy;
  /** Set on a sub-workflow step (`type: workflow`): the child workflow each attempt starts a case of. */
  readonly workflow?: Readonly<SubWorkflowInput>;
}

/** The kinds of step the engine completes itself. */
export type EngineStepKind = 'wait' | 'sleep' | 'until';

/**
 * A validated, compiled, deeply frozen workflow definition: what a case pins and what
 * `decide` runs against.
 */
export interface WorkflowDefinition {
  readonly name: string;
  readonly version: number;
  readonly input?: string;
  readonly slaMs?: number;
  /** The case deadline, ms from start (`timeout`); absent: none. */
  readonly caseTimeoutMs?: number;
  readonly budget?: CaseBudget;
  /** Cron schedules and watched directories that start cases; empty when none. */
  readonly triggers?: readonly TriggerDefinition[];
  readonly steps: Readonly<Record<string, StepDefinition>>;
  /** Step ids in the order they were declared; the decider visits steps in this order. */
  readonly stepOrder: readonly string[];
  /** The definition as written (plain JSON), for storage and `GET /workflows/{name}`. */
  readonly source: WorkflowDefinitionInput;
}
