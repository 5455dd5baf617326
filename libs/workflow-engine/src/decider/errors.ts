import type { CaseStatus } from './state';

/** Base class of the errors `decide` throws for commands that make no sense in the case's state. */
export abstract class CaseCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command names a step the pinned definition does not have. */
export class UnknownStep extends CaseCommandError {
  constructor(readonly caseId: string | null, readonly stepId: string, readonly workflow: string) {
    super(`unknown step '${stepId}' in case ${caseId ?? '(not started)'}: workflow '${workflow}' has no such step`);
  }
}

/** A review decision names a task the case never opened. */
export class UnknownTask extends CaseCommandError {
  constructor(readonly caseId: string | null, readonly taskId: string) {
    super(`unknown review task '${taskId}' in case ${caseId ?? '(not started)'}`);
  }
}

/** `StartCase` for a case that already has events. */
export class CaseAlreadyStarted extends CaseCommandError {
  constructor(readonly caseId: string, readonly status: CaseStatus) {
    super(`case ${caseId} is already started (status ${status})`);
  }
}

/** Any command but `StartCase` for a case with no events. */
export class CaseNotStarted extends CaseCommandError {
  constructor(readonly command: string) {
    super(`${command} for a case that has not started`);
  }
}

/** `RetryStep` when the case is not failed, or names a fallback-only step. */
export class CaseNotRetryable extends CaseCommandError {
  constructor(readonly caseId: string, readonly status: CaseStatus, reason: string) {
    super(`cannot retry in case ${caseId} (status ${status}): ${reason}`);
  }
}

/** `CancelCase` for a case that already completed or failed, or is failing (compensating after a step failed). */
export class CaseAlreadyFinished extends CaseCommandError {
  constructor(readonly caseId: string, readonly status: CaseStatus) {
    super(`cannot cancel case ${caseId}: ${status === 'compensating' ? 'it is failing and its compensations are running' : `it is already ${status}`}`);
  }
}

/** A review `edit` whose output is missing or does not match the step type's output schema. */
export class InvalidReviewOutput extends CaseCommandError {
  constructor(readonly taskId: string, readonly stepType: string, readonly problems: readonly string[]) {
    super(`review task '${taskId}': the edited output does not match the output schema of '${stepType}': ${problems.join('; ')}`);
  }
}

/** `decide` was given a definition other than the one the case pinned at start. */
export class WorkflowMismatch extends CaseCommandError {
  constructor(readonly caseId: string, readonly pinned: string, readonly given: string) {
    super(`case ${caseId} pinned workflow ${pinned}, but decide was given ${given}`);
  }
}
