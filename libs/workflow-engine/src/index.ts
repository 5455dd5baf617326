/**
 * @baton/workflow-engine: the pure domain of Baton. Workflow definitions (YAML or TypeScript,
 * JSON Schema + graph checks, JSONata compiled once) and the case decider (`decide`, `evolve`,
 * `initialState`). No I/O, no clock, no randomness: callers pass them in.
 */

// Definitions
export { defineWorkflow, loadDefinition } from './definition/load';
export { toMermaid, mermaidNodeIds } from './definition/mermaid';
export { workflowDefinitionSchema } from './definition/schema';
export { DefinitionError, type DefinitionIssue } from './definition/definition-error';
export { DEFAULT_RETRY, DEFAULT_STEP_TIMEOUT, DEFAULT_REVIEW_QUEUE, DEFAULT_REVIEW_ON_TIMEOUT } from './definition/defaults';
export type {
  WorkflowDefinition, WorkflowDefinitionInput, StepDefinition, StepInput, RetryPolicy, RetryPolicyInput,
  ReviewPolicy, ReviewInput, ReviewTimeoutAction, WaitInput, EngineStepKind,
} from './definition/types';
export { engineStepType } from './definition/compile-engine-step';
export { ENGINE_STEP_KINDS } from './definition/engine-step-issues';
export type { MapInput, MapPolicy, MapFailurePolicy, SubWorkflowInput } from './definition/types';
export type { ParentRef } from './events';
export { DEFAULT_MAP_CONCURRENCY } from './definition/compile-map';
export { cronTicks, type CronTrigger, type FileTrigger, type TriggerDefinition, type TriggerInput, type CronTriggerInput, type FileTriggerInput, type OverlapPolicy } from './definition/triggers';
export { compileExpression, ExpressionSyntaxError, ExpressionEvaluationError, type CompiledExpression } from './expression';
export { parseDuration, InvalidDuration } from './duration';
export { retryDelay, isRetryable } from './retry';
export { ENGINE_ERROR_NAMES, type StepError, type Metering } from './step-error';

// Events and commands
export {
  CASE_EVENT_TYPES,
  type CaseEvent, type CaseEventType, type CaseContext, type StepSnapshot,
  type CaseStarted, type StepScheduled, type StepDeadlineExtended, type StepCompleted, type StepAttemptFailed,
  type StepTimedOut, type StepRetryScheduled, type StepSkipped, type StepFailed, type FallbackStarted, type StepAbandoned,
  type ReviewRequested, type ReviewDecided, type ReviewEscalated, type ReviewWithdrawn,
  type CompensationStarted, type CompensationScheduled, type CompensationCompleted, type CompensationFailed,
  type CaseCompleted, type CaseFailed, type CaseCancellationRequested, type CaseCancelled,
  type StepRetriedByOperator, type SlaBreached, type CaseRepaired,
  type SignalReceived, type SignalConsumed, type StepTimeoutKind, type StepReviewSnapshot,
  type MapStarted, type MapItemScheduled, type MapItemCompleted, type MapItemFailed, type MapItemRetryScheduled,
  type StepAdmitted, type StepAwaitingOperator, type ExhaustedStepResolved,
} from './events';
export { upcast, eventVersion, versionMetadata, EVENT_VERSIONS, EVENT_VERSION_KEY, UPCASTERS, type StoredCaseEvent, type Upcaster } from './upcast';
export type {
  CaseCommand, CaseCommandType, TimerKind, StartCase, StepResultCompleted, StepResultFailed, StepHeartbeatReceived, TimerFired,
  DecideReview, RetryStep, CancelCase, RepairCase, ReceiveSignal, ChildCaseEnded, AdmitStep, ResolveExhaustedStep,
} from './commands';

// Decider
export { decide } from './decider/decide';
export { evolve } from './decider/evolve';
export { initialState } from './decider/state';
export type { CaseState, CaseStatus, StepState, StepStatus, AttemptRecord, ReviewTask, CompensationState, ReceivedSignal } from './decider/state';
export type { MapState, MapItemState } from './decider/state';
export { mapItemStepId, parseMapItemStepId, MAP_ITEM_SEPARATOR } from './decider/map/ids';
export { MAP_ERROR_NAMES, MAP_MAX_ITEMS_JSON_BYTES, MAP_MAX_OUTPUT_JSON_BYTES } from './decider/map/fan-out';
export { mapSummary, type MapSummary } from './decider/map/summary';
export type { Decision, DecideContext, IgnoredReason, InputProblem, StepDispatch, TimerRequest } from './decider/decision';
export type { ChildStart, ChildEndNotice } from './decider/decision';
export type { ChildRef } from './decider/state';
export { CHILD_ERROR_NAMES } from './decider/sub-workflow/effects';
export { WORKFLOW_STEP_TYPE } from './definition/sub-workflow-issues';
export { attemptChange, type AttemptChange } from './decider/attempts';
export { stepState, resolution, isActive, isTerminal, caseContext } from './decider/queries';
export { COMPENSATION_PREFIX } from './decider/compensation';
export { timerId } from './decider/ids';
export { timersEndedBy } from './decider/timers';
export { expectedTimers, diagnoseStuck, type StuckDiagnosis } from './decider/wake-ups';
export {
  CaseCommandError, UnknownStep, UnknownTask, CaseAlreadyStarted, CaseNotStarted, CaseNotRetryable, CaseAlreadyFinished,
  InvalidReviewOutput, WorkflowMismatch,
} from './decider/errors';
export { foldEvents } from './decider/fold';

// Case-level controls: deadline, pause and resume, reset, budget
export type { CaseBudget, CaseBudgetInput } from './definition/types';
export { toMicros, formatMicros, MICROS_PER_UNIT } from './definition/budget';
export type { CaseControls, CaseUsage, PauseInfo } from './decider/controls/controls-state';
export { isPaused } from './decider/controls/paused';
export { CaseNotResettable, CONTROL_ERROR_NAMES } from './decider/controls/errors';
export type { PauseCase, ResumeCase, ResetCase } from './commands';
export type { CasePaused, CaseResumed, CaseReset, CaseTimedOut, CaseBudgetExceeded } from './events';
export { StepNotAwaitingOperator, InvalidOperatorOutput } from './decider/operator-errors';
export { OPERATOR_QUEUE } from './decider/handlers/exhausted';
