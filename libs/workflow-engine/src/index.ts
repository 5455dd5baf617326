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
  ReviewPolicy, ReviewInput, ReviewTimeoutAction,
} from './definition/types';
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
} from './events';
export type {
  CaseCommand, CaseCommandType, TimerKind, StartCase, StepResultCompleted, StepResultFailed, StepHeartbeatReceived, TimerFired,
  DecideReview, RetryStep, CancelCase, RepairCase,
} from './commands';

// Decider
export { decide } from './decider/decide';
export { evolve } from './decider/evolve';
export { initialState } from './decider/state';
export type { CaseState, CaseStatus, StepState, StepStatus, AttemptRecord, ReviewTask, CompensationState } from './decider/state';
export type { Decision, DecideContext, IgnoredReason, InputProblem, StepDispatch, TimerRequest } from './decider/decision';
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
