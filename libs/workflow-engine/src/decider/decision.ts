import type { TimerKind } from '../commands';
import type { WorkflowDefinition } from '../definition/types';
import type { CaseEvent } from '../events';

/**
 * A step request to publish on `baton.step.<stepType>`. Compensations use
 * `stepId` = `compensate:<stepId>`. `idempotencyKey` = `<caseId>:<stepId>`, stable across attempts,
 * for the handler's own side effects.
 */
export interface StepRequest {
  readonly caseId: string;
  readonly stepId: string;
  readonly stepType: string;
  readonly attempt: number;
  readonly input: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  /** Epoch ms after which the attempt counts as timed out. */
  readonly deadline: number;
  readonly idempotencyKey: string;
}

/**
 * A durable timer to set. `timerId` is deterministic (`<caseId>:<kind>:<stepId>:<attempt>`, or
 * `<caseId>:sla`): setting a timer whose id exists replaces its `dueAt` (a heartbeat moves an
 * attempt's timeout this way). `decide` never asks to cancel a timer: one that fires when it no
 * longer matters is ignored. (The orchestrator deletes such timers early, by id, to keep the
 * timer table small; see `timerId`.)
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
 * Why a step result changed nothing: its case has ended (`case-ended`), is being compensated
 * (`case-compensating`), or the result is for an attempt that is not the running one
 * (`stale-attempt`: an older attempt, a timed-out one, a step no longer running).
 */
export type IgnoredReason = 'case-ended' | 'case-compensating' | 'stale-attempt';

/** What `decide` returns: the events to append, and the messages and timers to record with them (outbox). */
export interface Decision {
  readonly events: CaseEvent[];
  readonly requests: StepRequest[];
  readonly timers: TimerRequest[];
  /** Set when a step result (completed or failed) was dropped as late or stale, with the reason; the orchestrator counts it. */
  readonly ignored?: IgnoredReason;
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
}
