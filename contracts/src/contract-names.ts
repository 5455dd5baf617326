/**
 * Full names of the contract schemas, and the naming convention of step contracts.
 */

/** Full Avro names of the Baton envelope schemas (`contracts/schemas/baton`, namespace `baton.v1`) and examples. */
export const ContractNames = Object.freeze({
  TriggerCase: 'baton.v1.TriggerCase',
  StepRequest: 'baton.v1.StepRequest',
  StepCompleted: 'baton.v1.StepCompleted',
  StepFailed: 'baton.v1.StepFailed',
  StepHeartbeat: 'baton.v1.StepHeartbeat',
  ReviewDecision: 'baton.v1.ReviewDecision',
  RetryCase: 'baton.v1.RetryCase',
  CancelCase: 'baton.v1.CancelCase',
  RepairCase: 'baton.v1.RepairCase',
  SignalCase: 'baton.v1.SignalCase',
  PauseCase: 'baton.v1.PauseCase',
  ResumeCase: 'baton.v1.ResumeCase',
  ResetCase: 'baton.v1.ResetCase',
  ChildCaseEnded: 'baton.v1.ChildCaseEnded',
  StartChildCase: 'baton.v1.StartChildCase',
  CaseEvent: 'baton.v1.CaseEvent',
  ResolveExhaustedStep: 'baton.v1.ResolveExhaustedStep',
  CircuitStateChanged: 'baton.v1.CircuitStateChanged',
  ClaimReference: 'baton.v1.ClaimReference',
  InboxMessage: 'baton.examples.InboxMessage',
} as const);

/** The schemas that travel on `baton.step-results`. */
export const STEP_RESULT_NAMES: readonly string[] = [ContractNames.StepCompleted, ContractNames.StepFailed, ContractNames.StepHeartbeat];

/** The schemas that travel on `baton.signals`. */
export const SIGNAL_NAMES: readonly string[] = [ContractNames.ReviewDecision, ContractNames.RetryCase, ContractNames.CancelCase, ContractNames.RepairCase, ContractNames.SignalCase,
  ContractNames.PauseCase, ContractNames.ResumeCase, ContractNames.ResetCase, ContractNames.ChildCaseEnded, ContractNames.ResolveExhaustedStep];

/**
 * A step type is lowercase alphanumeric words joined by dots, e.g. `text.classify`, `noop`.
 * No underscores or hyphens: the type maps to an Avro namespace by turning dots into underscores,
 * and that mapping must be reversible.
 */
export const STEP_TYPE_PATTERN = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/;

/** The namespace of a step type's records: `baton.steps.` + the type with dots as underscores (`baton.steps.text_classify`). */
export function stepNamespace(stepType: string): string {
  return `baton.steps.${stepType.replace(/\./g, '_')}`;
}

/** Full names of a step type's input and output records: `<stepNamespace>.Input` and `.Output`. */
export function stepSchemaNames(stepType: string): { input: string; output: string } {
  const ns = stepNamespace(stepType);
  return { input: `${ns}.Input`, output: `${ns}.Output` };
}
