import { CaseCommandError } from './errors';
import type { StepStatus } from './state';

/** `ResolveExhaustedStep` for a step that is not waiting for an operator. */
export class StepNotAwaitingOperator extends CaseCommandError {
  constructor(readonly caseId: string, readonly stepId: string, readonly status: StepStatus) {
    super(`step '${stepId}' of case ${caseId} is not waiting for an operator (status ${status})`);
  }
}

/** A `skip` without an output, or with one that breaks the step type's output contract. */
export class InvalidOperatorOutput extends CaseCommandError {
  constructor(readonly stepId: string, readonly stepType: string, readonly problems: readonly string[]) {
    super(`skip of step '${stepId}': field 'output' does not match the output contract of '${stepType}': ${problems.join('; ')}`);
  }
}
