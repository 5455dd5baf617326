import type { OutboxMessage } from '@baton/event-store';
import type { InputProblem, StepDispatch, WorkflowDefinition } from '@baton/workflow-engine';
import type { Causation, Outbound } from './outbound';
import { OutboxMessageTooLarge } from './outbox-message-too-large';

/**
 * The decider's `validateInput` for one decision: it encodes each step request as it will be
 * sent (input contract, `StepRequest` envelope, size limit) and keeps the encoded message, so the
 * shell sends exactly what was checked without encoding it twice ({@link InputCheck.message}).
 */
export class InputCheck {
  private readonly encoded = new Map<string, OutboxMessage>();

  constructor(private readonly outbound: Outbound, private readonly workflow: WorkflowDefinition, private readonly causation: Causation) {}

  /**
   * @returns `InputTooLarge` above `MAX_MESSAGE_BYTES`, `InputSchemaViolation` when the input does
   *   not match the step type's input contract (or the type has none), else undefined
   */
  readonly validate = (request: StepDispatch, options: { mapped: boolean }): InputProblem | undefined => {
    try {
      this.encoded.set(key(request), this.outbound.stepRequest(this.workflow, request, this.causation, options));
      return undefined;
    } catch (error) {
      if (error instanceof OutboxMessageTooLarge) return { name: 'InputTooLarge', message: `the request of step '${request.stepId}' cannot be sent: ${error.message}` };
      return { name: 'InputSchemaViolation', message: `the input of step '${request.stepId}' does not match the contract of step type '${request.stepType}': ${(error as Error).message}` };
    }
  };

  /** The message checked for `request` (encoded now if the decider did not ask). @throws as `Outbound.stepRequest` */
  message(request: StepDispatch): OutboxMessage {
    return this.encoded.get(key(request)) ?? this.outbound.stepRequest(this.workflow, request, this.causation);
  }
}

function key(r: StepDispatch): string {
  return `${r.caseId}\u0000${r.stepId}\u0000${r.attempt}`;
}
