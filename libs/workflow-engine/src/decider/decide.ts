import type { CaseCommand } from '../commands';
import type { DecideContext, Decision } from './decision';
import { draft, toDecision } from './draft';
import { CaseNotStarted, WorkflowMismatch } from './errors';
import { decideReview } from './handlers/decide-review';
import { admitStep } from './handlers/admit-step';
import { resolveExhaustedStep } from './handlers/exhausted';
import { cancelCase, repairCase, retryStep } from './handlers/operator';
import { startCase } from './handlers/start-case';
import { stepCompleted, stepFailed, stepHeartbeat } from './handlers/step-results';
import { receiveSignal } from './handlers/receive-signal';
import { timerFired } from './handlers/timer-fired';
import { pauseCase, resumeCase } from './controls/pause';
import { resetCase } from './controls/reset';
import { childEnded } from './handlers/child-ended';
import type { CaseState } from './state';

/**
 * Decides what a command means for a case: the events to append, the step attempts to dispatch,
 * the timers to set and to cancel (all to be recorded in one transaction by the orchestrator),
 * or, when it changes nothing, why (`ignored`).
 * A step input `ctx.validateInput` refuses fails its attempt inside the same decision.
 *
 * Async because JSONata 2 evaluates asynchronously. Deterministic given `(command, state, ctx)`:
 * the clock and random source come from `ctx`, and every evaluated value is recorded in the
 * events. A command that arrives too late to matter (a result of an older attempt, a timer of a
 * finished step, anything for an ended case) returns no events and an `ignored` reason, so
 * redelivery is harmless.
 *
 * @param command the command (see `commands.ts`)
 * @param state the case state folded from its events (`initialState()` for a new case)
 * @param ctx the pinned definition, the clock (epoch ms), a random source in [0, 1) and an optional output validator
 * @throws {CaseAlreadyStarted} StartCase for a started case
 * @throws {CaseNotStarted} any other command for a case with no events
 * @throws {WorkflowMismatch} `ctx.workflow` is not the definition the case pinned
 * @throws {UnknownStep} a command names a step the definition does not have
 * @throws {UnknownTask} a decision names a task the case never opened
 * @throws {InvalidReviewOutput} an edit without an output, or with one that breaks the schema
 * @throws {CaseNotRetryable} RetryStep on a case that is not failed, or on a fallback-only step
 * @throws {CaseAlreadyFinished} CancelCase on a completed or failed case
 * @throws {CaseNotResettable} ResetCase on a case that is not open, or naming a fallback-only step
 */
export async function decide(command: CaseCommand, state: CaseState, ctx: DecideContext): Promise<Decision> {
  if (command.type !== 'StartCase') {
    if (state.status === 'new') throw new CaseNotStarted(command.type);
    if (state.workflow !== ctx.workflow.name || state.workflowVersion !== ctx.workflow.version) {
      throw new WorkflowMismatch(state.caseId!, `${state.workflow}@${state.workflowVersion}`, `${ctx.workflow.name}@${ctx.workflow.version}`);
    }
  }
  const d = draft(state, ctx);
  switch (command.type) {
    case 'StartCase': await startCase(d, command); break;
    case 'StepResultCompleted': await stepCompleted(d, command); break;
    case 'StepResultFailed': await stepFailed(d, command); break;
    case 'StepHeartbeatReceived': stepHeartbeat(d, command); break;
    case 'TimerFired': await timerFired(d, command); break;
    case 'DecideReview': await decideReview(d, command); break;
    case 'RetryStep': await retryStep(d, command); break;
    case 'CancelCase': cancelCase(d, command); break;
    case 'RepairCase': await repairCase(d, command); break;
    case 'ReceiveSignal': await receiveSignal(d, command); break;
    case 'PauseCase': pauseCase(d, command); break;
    case 'ResumeCase': await resumeCase(d, command); break;
    case 'ResetCase': await resetCase(d, command); break;
    case 'ChildCaseEnded': await childEnded(d, command); break;
    case 'AdmitStep': admitStep(d, command); break;
    case 'ResolveExhaustedStep': await resolveExhaustedStep(d, command); break;
  }
  return toDecision(d);
}
