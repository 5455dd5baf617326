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
  /** The step type: which consumers do the work (`text.classify`). */
  type: string;
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
  /** A step type run to undo this step if the case fails or is cancelled later. */
  compensate?: string;
  review?: ReviewInput;
}

/** A workflow definition as written in YAML or built in TypeScript. */
export interface WorkflowDefinitionInput {
  name: string;
  version: number;
  /** Avro full name of the record a case input must match. */
  input?: string;
  /** ISO-8601; breaches are counted, not enforced. */
  sla?: string;
  /** What starts cases besides HTTP and Kafka: cron schedules and watched directories (README, "Triggers"). */
  triggers?: TriggerInput[];
  steps: Record<string, StepInput>;
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
  /** Set on a fallback-only step: the step it stands in for. Such a step is not scheduled in the normal flow. */
  readonly fallbackFor?: string;
  readonly compensate?: string;
  readonly review?: ReviewPolicy;
}

/**
 * A validated, compiled, deeply frozen workflow definition: what a case pins and what
 * `decide` runs against.
 */
export interface WorkflowDefinition {
  readonly name: string;
  readonly version: number;
  readonly input?: string;
  readonly slaMs?: number;
  /** Cron schedules and watched directories that start cases; empty when none. */
  readonly triggers?: readonly TriggerDefinition[];
  readonly steps: Readonly<Record<string, StepDefinition>>;
  /** Step ids in the order they were declared; the decider visits steps in this order. */
  readonly stepOrder: readonly string[];
  /** The definition as written (plain JSON), for storage and `GET /workflows/{name}`. */
  readonly source: WorkflowDefinitionInput;
}
