import type { Metering, StepError } from '../step-error';
import { initialControls, type CaseControls } from './controls/controls-state';

/** Lifecycle of a case. `awaiting-review` = running with at least one open review task. */
export type CaseStatus = 'new' | 'running' | 'awaiting-review' | 'compensating' | 'completed' | 'failed' | 'cancelled';

/**
 * Lifecycle of a step within a case. A step with no event yet is `pending` (and absent from
 * `CaseState.steps`). `fallen-back`: it ran out of attempts and its fallback runs in its place.
 * `cancelled`: its attempt, retry or review was abandoned because the case failed or was cancelled.
 * `awaiting-operator`: it ran out of attempts with `onExhausted: waitForOperator` (task `taskId`).
 */
export type StepStatus =
  | 'pending' | 'running' | 'retry-wait' | 'awaiting-review' | 'completed' | 'skipped' | 'failed' | 'fallen-back' | 'cancelled'
  | 'awaiting-operator';

/** One dispatched attempt. Times in epoch ms. */
export interface AttemptRecord {
  readonly attempt: number;
  readonly scheduledAt: number;
  readonly deadline: number;
  readonly outcome: 'running' | 'completed' | 'failed' | 'timed-out' | 'abandoned';
  readonly finishedAt?: number;
  readonly error?: StepError;
  readonly metering?: Metering;
}

/** Everything known about one step of a case. */
export interface StepState {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly stepType?: string;
  /** The latest attempt number dispatched (or about to be, in `retry-wait`); 0 before the first. */
  readonly attempt: number;
  /** First attempt number of the current run: the retry budget counts from here (an operator retry starts a new run). */
  readonly runStartAttempt: number;
  /** Set in `retry-wait`: the attempt the retry timer will dispatch, at `retryDueAt`. */
  readonly retryAttempt?: number;
  readonly retryDueAt?: number;
  /** Deadline of the running attempt (epoch ms). */
  readonly deadline?: number;
  /** With a heartbeat timeout: the running attempt times out at this time unless a heartbeat comes first (epoch ms). */
  readonly heartbeatDueAt?: number;
  readonly input?: unknown;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly output?: unknown;
  readonly error?: StepError;
  readonly skipReason?: 'when-false' | 'needs-skipped';
  /** On a fallen-back step: the step running in its place. */
  readonly fallbackStepId?: string;
  /** On a fallback step: the step it stands in for. */
  readonly fallbackFor?: string;
  /** Open or last review task of this step. */
  readonly taskId?: string;
  readonly attempts: readonly AttemptRecord[];
  /** How many compensation attempts were dispatched for this step (numbers `compensate:<id>` attempts). */
  readonly compensationAttempts: number;
  /** True once this step's compensation completed. */
  readonly compensated: boolean;
  readonly completedAt?: number;
  /** On a `map` step once its fan-out began: the items' progress. */
  readonly map?: MapState;
  /** On a sub-workflow step: the child case of the latest attempt. */
  readonly childCaseId?: string;
}

/** A child case a sub-workflow step of this case started. */
export interface ChildRef {
  readonly caseId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly workflow: string;
  readonly version: number;
}

/** One item of a `map` step once dispatched. Times epoch ms. */
export interface MapItemState {
  readonly status: 'running' | 'retry-wait' | 'completed' | 'failed';
  /** The latest attempt dispatched (or, in `retry-wait`, the one the retry timer will dispatch). */
  readonly attempt: number;
  readonly scheduledAt: number;
  /** Deadline of the running attempt. */
  readonly deadline?: number;
  readonly retryDueAt?: number;
  readonly output?: unknown;
  readonly error?: StepError;
}

/**
 * The fan-out of a `map` step. `items` is the list `MapStarted` recorded (shared, never copied);
 * `itemStates` holds one entry per item (null until dispatched) in fixed-size chunks, so an
 * event about one item copies one chunk and the chunk list, never the whole list.
 */
export interface MapState {
  readonly items: readonly unknown[];
  /** When the fan-out began (epoch ms). */
  readonly startedAt: number;
  readonly maxConcurrency: number;
  readonly firstAttempt: number;
  readonly maxAttempts: number;
  /** The next item index never dispatched. */
  readonly next: number;
  /** Items running or waiting to retry: each holds a concurrency slot. */
  readonly inFlight: number;
  readonly completed: number;
  readonly failed: number;
  readonly itemStates: readonly (readonly (MapItemState | null)[])[];
}

/** A review task. `status` open until decided, or withdrawn when the case fails or is cancelled. */
export interface ReviewTask {
  readonly taskId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly queue: string;
  readonly status: 'open' | 'decided' | 'withdrawn';
  readonly escalated: boolean;
  readonly reason: string;
  readonly requestedAt: number;
  readonly dueAt?: number;
  readonly decision?: 'approve' | 'reject' | 'edit';
  readonly decidedBy?: 'reviewer' | 'timeout';
  readonly reviewer?: string;
  readonly comment?: string;
  /** The corrected output of an `edit`. */
  readonly editedOutput?: unknown;
  /** Epoch ms. */
  readonly decidedAt?: number;
  /** Epoch ms, when the case wound down with the task open. */
  readonly withdrawnAt?: number;
}

/** Progress of the saga's undo: `plan[next]` is the next compensation to run. */
export interface CompensationState {
  readonly reason: 'case-failed' | 'case-cancelled';
  readonly plan: readonly { readonly stepId: string; readonly stepType: string }[];
  readonly next: number;
  /** The compensation in flight. */
  readonly current?: { readonly stepId: string; readonly attempt: number; readonly deadline: number };
  readonly completed: readonly string[];
  readonly failures: readonly { readonly stepId: string; readonly error: StepError }[];
}

/** A signal the case received. `consumedBy` names the `wait` step it completed; absent while it is kept. */
export interface ReceivedSignal {
  readonly signalId: string;
  readonly name: string;
  readonly payload: unknown;
  readonly principal?: string;
  /** Epoch ms. */
  readonly receivedAt: number;
  readonly consumedBy?: string;
}

/** The state of one case, folded from its events by `evolve`. Plain, immutable, JSON-serialisable data. */
export interface CaseState {
  readonly caseId: string | null;
  readonly status: CaseStatus;
  readonly workflow: string | null;
  readonly workflowVersion: number | null;
  readonly input: unknown;
  readonly key?: string;
  readonly triggeredBy?: string;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly slaDueAt: number | null;
  readonly slaBreached: boolean;
  readonly steps: Readonly<Record<string, StepState>>;
  /** Step ids in the order their attempts completed (latest completion last); compensation walks it backwards. */
  readonly completionOrder: readonly string[];
  readonly tasks: Readonly<Record<string, ReviewTask>>;
  readonly compensation: CompensationState | null;
  /** Why the case is failing or failed. */
  readonly failure: { readonly stepId: string; readonly error: StepError } | null;
  readonly cancellation: { readonly reason: string; readonly requestedBy?: string } | null;
  readonly output: Readonly<Record<string, unknown>> | null;
  /** Signals received, by signal id (for dedupe, and the kept ones until a `wait` consumes them); absent before the first. */
  readonly signals?: Readonly<Record<string, ReceivedSignal>>;
  /** Number of events folded: the stream version a next append expects. */
  readonly eventCount: number;
  /** Case-level controls: deadline, pause, budget usage (`controls/controls-state.ts`). */
  readonly controls: CaseControls;
  /** Set on a child case: the parent step attempt that started it. */
  readonly parent?: { readonly caseId: string; readonly stepId: string; readonly attempt: number };
  /** The child cases this case's sub-workflow steps started, in order (absent: none). */
  readonly children?: readonly ChildRef[];
}

/** The state before a case's first event. */
export function initialState(): CaseState {
  return {
    caseId: null, status: 'new', workflow: null, workflowVersion: null, input: null,
    startedAt: null, finishedAt: null, slaDueAt: null, slaBreached: false,
    steps: {}, completionOrder: [], tasks: {}, compensation: null, failure: null, cancellation: null, output: null,
    eventCount: 0,
    controls: initialControls(),
  };
}
