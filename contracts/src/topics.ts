/**
 * Kafka topic names. They are part of the contract (contracts/README.md).
 */

/** The fixed topics. Every value is Avro in the single-object encoding (`@baton/avro`); keys are the case id where a case exists. */
export const Topics = Object.freeze({
  /** Start-case requests (`TriggerCase`), from upstream systems and the gateway, to the orchestrator. */
  triggers: 'baton.triggers',
  /** Step results (`StepCompleted`, `StepFailed`, `StepHeartbeat`, told apart by fingerprint), from step consumers to the orchestrator. */
  stepResults: 'baton.step-results',
  /** Human decisions and operator actions (`ReviewDecision`, `RetryCase`, `CancelCase`, `RepairCase`, `SignalCase`, `PauseCase`, `ResumeCase`, `ResetCase`), from the gateway to the orchestrator. */
  signals: 'baton.signals',
  /** The public lifecycle of every case (`CaseEvent`), from the orchestrator to anyone. */
  caseEvents: 'baton.case-events',
  /** What happens to a step type as a whole (`CircuitStateChanged`), from the orchestrator to anyone; key: the step type. */
  stepTypeEvents: 'baton.step-type-events',
} as const);

/** The prefix of step request topics. */
export const STEP_TOPIC_PREFIX = 'baton.step.';

/** The suffix of dead-letter topics. */
export const DEAD_LETTER_SUFFIX = '.dlt';

/** The topic carrying `StepRequest`s for a step type: `baton.step.<type>`, e.g. `baton.step.text.classify`. */
export function stepTopic(stepType: string): string {
  return STEP_TOPIC_PREFIX + stepType;
}

/** The dead-letter topic of a topic: `<topic>.dlt`. */
export function deadLetterTopic(topic: string): string {
  return topic + DEAD_LETTER_SUFFIX;
}
