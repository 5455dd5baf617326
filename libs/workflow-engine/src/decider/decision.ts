import type { TimerKind } from '../commands';
import type { WorkflowDefinition } from '../definition/types';
import type { CaseEvent } from '../events';

/**
 * A step attempt the decision dispatches: the orchestrator publishes it as a `StepRequest`
 * record (`Wire.StepRequest` in `@baton/contracts`) on `baton.step.<stepType>`. Compensations use
 * `stepId` = `compensate:<stepId>`. `idempotencyKey` = `<caseId>:<stepId>`, stable across attempts,
 * for the handler's own side effects.
 */
export interface StepDispatch {
  readonly caseId: string;
  readonly stepId: string;
  readonly stepType: string;
  readonly attempt: number;
  readonly input: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  /** Epoch ms after which the attempt counts as timed out (schedule-to-close, moved by heartbeats). */
  readonly deadline: number;
  /** The step's start-to-close timeout, ms, for the step SDK to enforce from when the handler starts. */
  readonly startToCloseMs?: number;
  readonly idempotencyKey: string;
}

/**
 * A child case a sub-workflow step's attempt starts: the orchestrator publishes it as a
 * `TriggerCase` on `baton.triggers` (input encoded with the child workflow's input record) with
 * `key` and `parent`; `caseId` is `ctx.childCaseId(workflow, key)` (the orchestrator's
 * `caseIdFor`), so a redelivery names the same child and never starts two.
 */
export interface ChildStart {
  readonly caseId: string;
  readonly workflow: string;
  readonly version: number;
  readonly input: unknown;
  /** `<parentCaseId>:<stepId>:<attempt>`. */
  readonly key: string;
  readonly parent: { readonly caseId: string; readonly stepId: string; readonly attempt: number };
}

/** What a child case's end tells its parent: the orchestrator publishes it as a `ChildCaseEnded` on `baton.signals`, keyed by the parent case id. */
export interface ChildEndNotice {
  readonly parentCaseId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly childCaseId: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly output?: unknown;
  readonly error?: { readonly name: string; readonly message: string; readonly retryable: boolean };
}

/**
 * A durable timer to set. `timerId` is deterministic (`<caseId>:<kind>:<stepId>:<attempt>`, or
 * `<caseId>:sla`, see `timerId`): setting a timer whose id exists replaces its `dueAt` (a
 * heartbeat moves an attempt's timeout this way).
 */
export interface TimerRequest {
  readonly timerId: string;
  readonly kind: TimerKind;
  /** Epoch ms. */
  readonly dueAt: number;
  readonly stepId?: string;
  readonly attempt?: number;
}

/**
 * Why a command changed nothing (after Emmett's `Ignore{reason}`):
 * - `case-ended`: its case completed, failed or was cancelled;
 * - `case-compensating`: its case is being compensated (a result or heartbeat of a normal step);
 * - `stale-attempt`: a result or heartbeat for an attempt that is not the running one (an older
 *   attempt, a timed-out one, a step no longer running; a compensation not in flight);
 * - `stale-timer`: a timer whose reason is gone (the attempt finished, a heartbeat moved the
 *   deadline, the retry ran, the task was decided, the SLA was already breached);
 * - `task-closed`: a review decision for a task that is no longer open;
 * - `already-cancelled`: a cancellation of a case already cancelled or being cancelled;
 * - `heartbeat-early`: a heartbeat while the attempt still has more than half its timeout left;
 * - `no-change`: any other command that recorded nothing;
 * - `case-paused`: a retry timer of a paused case (the resume dispatches it);
 * - `already-paused`, `not-paused`: a pause of a paused case, a resume of one that is not.
 */
export type IgnoredReason =
  | 'case-ended' | 'case-compensating' | 'stale-attempt' | 'stale-timer' | 'task-closed' | 'already-cancelled'
  | 'heartbeat-early' | 'no-change'
  // ReceiveSignal: a signal id already received; no wait step on that name can still take it; no wait step on that name at all
  | 'duplicate-signal' | 'signal-late' | 'signal-unexpected'
  | 'case-paused' | 'already-paused' | 'not-paused';

/**
 * What `decide` returns, all to be recorded in one transaction: the events to append, the step
 * attempts to dispatch (outbox), the timers to set and the timer ids to cancel. `ignored` is set
 * exactly when `events` is empty, with the reason, so the orchestrator can count why commands
 * were dropped.
 */
export interface Decision {
  readonly events: CaseEvent[];
  readonly requests: StepDispatch[];
  /** Timers to set (upserts by id). */
  readonly timers: TimerRequest[];
  /** Ids of timers that can no longer matter (the attempt finished, the task was decided, the case ended). */
  readonly cancelTimers: string[];
  readonly ignored?: IgnoredReason;
  /** Child cases to start (sub-workflow attempts). */
  readonly children?: ChildStart[];
  /** Child cases to cancel (`CancelCase` on `baton.signals`): their parent step was abandoned or timed out. */
  readonly cancelChildren?: string[];
  /** Set when this case is a child and the decision ended it: tell the parent. */
  readonly parentNotice?: ChildEndNotice;
}

/** Why a step request cannot be sent (`validateInput`): an error name and a message naming the field. */
export interface InputProblem {
  /** `InputSchemaViolation`, `InputTooLarge`, or another name the shell gives. */
  readonly name: string;
  readonly message: string;
}

/** What `decide` needs from outside: the pinned definition, the clock and a random source. */
export interface DecideContext {
  /** The compiled definition the case pinned at start. */
  readonly workflow: WorkflowDefinition;
  /** The clock, epoch ms. */
  readonly now: number;
  /** Uniform in [0, 1); used for retry jitter only. */
  readonly random: () => number;
  /**
   * Checks a step output against its step type's output schema: returns the problems (each naming
   * the field), empty when valid. Used for review edits and for completed results.
   */
  readonly validateOutput?: (stepType: string, output: unknown) => string[];
  /**
   * Checks that a step attempt can be sent: its input against the step type's input contract
   * (strictly, refusing undeclared fields, when `mapped`: the step has an `input` expression) and
   * the size of the message. Returns the problem, or undefined. A dispatch it refuses fails its
   * attempt at once, non-retryably, inside the same decision.
   */
  readonly validateInput?: (request: StepDispatch, options: { mapped: boolean }) => InputProblem | undefined;
  /**
   * The case id of a child case (`caseIdFor({ workflow, key })` in the orchestrator); absent:
   * `<workflow>:<key>`. Must be deterministic.
   */
  readonly childCaseId?: (workflow: string, key: string) => string;
  /**
   * Checks that a child case can be started (the child workflow version is registered, the input
   * matches its input record). A start it refuses fails its attempt at once, non-retryably.
   */
  readonly validateChild?: (child: ChildStart) => InputProblem | undefined;
}
