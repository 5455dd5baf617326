import { randomUUID } from 'node:crypto';
import type { SchemaCatalog } from '@baton/avro';
import type { Claim, ClaimCheck } from '@baton/claims';
import { ContractNames, stepContract, type TopicNames } from '@baton/contracts';
import type { OutboxMessage } from '@baton/event-store';
import { Headers } from '@baton/kafka';
import { COMPENSATION_PREFIX, versionMetadata, type CaseEvent, type CaseState, type StepDispatch } from '@baton/workflow-engine';
import { checkedSize } from './outbox-message-too-large';

/** Ids that tie a message to what caused it, carried into event metadata and headers. */
export interface Causation {
  /** Id of the message being handled (the inbox key), if any. */
  messageId?: string;
  correlationId?: string;
  /** W3C trace headers of the message being handled, passed on to what it causes. */
  traceHeaders?: Record<string, string>;
}

/** An outbox message with the claims it refers to (claim check), which must be stored in the same transaction. */
export type OutboxWithClaims = OutboxMessage & { claims?: Claim[] };

/** An event about to be appended, as the store takes it. */
export interface NewCaseEvent {
  eventId: string;
  type: string;
  data: unknown;
  /**
   * `traceparent`/`tracestate`: the W3C trace context of the handling that recorded it (the timer
   * loop fires a case's timers in it); `writer`: the instance that decided the event
   * (`BATON_INSTANCE_ID`), when the outbound was given one.
   */
  metadata: { correlationId?: string; causationId?: string; traceparent?: string; tracestate?: string; writer?: string };
  schemaFingerprint: string;
}

/** An event with the position and time it is recorded at (epoch ms). */
export interface OutgoingEvent extends NewCaseEvent {
  streamId: string;
  streamPosition: number;
  recordedAt: number;
}

/**
 * Turns a decision's step requests and recorded events into outbox messages: a `StepRequest` on
 * `baton.step.<type>` whose input is encoded with the step type's input contract, and a
 * `CaseEvent` envelope on `baton.case-events`. Keys are the case id.
 */
export class Outbound {
  /**
   * @param writer - names this orchestrator instance in every event's metadata (`writer`), so the
   *   event store tells which instance decided each event (the benchmark's scale-out check)
   * @param claims - the claim check: a step input or a case event's data above its threshold travels
   *   as a reference, its bytes returned in the message's `claims` (stored with the outbox rows)
   */
  constructor(private readonly catalog: SchemaCatalog, private readonly topics: TopicNames, private readonly writer?: string, private readonly claims?: ClaimCheck) {}

  /**
   * @param options.mapped - the step has an `input` expression: refuse fields its contract does not declare
   * @throws UnknownStepTypeError when the step type has no contract; AvroEncodeError when the
   *   input does not match it; OutboxMessageTooLarge above `MAX_MESSAGE_BYTES` (the decider's
   *   `validateInput`, see `input-check.ts`, turns each into a non-retryable attempt failure).
   */
  stepRequest(workflow: { name: string; version: number }, request: StepDispatch, causation: Causation, options: { mapped?: boolean } = {}): OutboxWithClaims {
    const contract = stepContract(this.catalog, request.stepType);
    const compensation = request.stepId.startsWith(COMPENSATION_PREFIX);
    // A step with an `input` mapping is strict: a field its contract does not declare is a typo in
    // the mapping. Without one, the step takes the case input projected onto its input record.
    const encoded = this.catalog.encode(contract.inputName, compensation ? compensationInput(request.input) : request.input, { noUndeclaredFields: !compensation && options.mapped === true });
    const { value: input, claim } = this.claims ? this.claims.offload(encoded) : { value: encoded, claim: undefined };
    const requestId = `${request.caseId}:${request.stepId}:${request.attempt}`;
    const value = this.catalog.encode(ContractNames.StepRequest, {
      requestId,
      caseId: request.caseId,
      workflow: workflow.name,
      workflowVersion: workflow.version,
      stepId: request.stepId,
      stepType: request.stepType,
      attempt: request.attempt,
      input,
      params: JSON.stringify(request.params ?? {}),
      deadline: request.deadline,
      startToCloseMs: request.startToCloseMs ?? null,
      idempotencyKey: request.idempotencyKey,
    });
    const message: OutboxWithClaims = checkedSize({ topic: this.topics.step(request.stepType), key: request.caseId, value, headers: this.headers(request.caseId, requestId, causation) });
    return claim ? { ...message, claims: [claim] } : message;
  }

  /**
   * The public lifecycle message of one event as it is being recorded.
   * @throws OutboxMessageTooLarge above `MAX_MESSAGE_BYTES` (the command's message is then dead-lettered)
   */
  caseEvent(state: CaseState, event: OutgoingEvent, causation: Causation): OutboxWithClaims {
    const json = JSON.stringify(event.data);
    const { data, dataClaim, claim } = this.claims ? this.claims.offloadText(json) : { data: json, dataClaim: null, claim: undefined };
    const value = this.catalog.encode(ContractNames.CaseEvent, {
      eventId: event.eventId,
      caseId: event.streamId,
      workflow: state.workflow,
      workflowVersion: state.workflowVersion,
      streamPosition: event.streamPosition,
      type: event.type,
      data,
      correlationId: event.metadata.correlationId ?? null,
      causationId: event.metadata.causationId ?? null,
      recordedAt: event.recordedAt,
      dataClaim,
    });
    const message: OutboxWithClaims = checkedSize({ topic: this.topics.caseEvents, key: event.streamId, value, headers: this.headers(event.streamId, event.eventId, causation) });
    return claim ? { ...message, claims: [claim] } : message;
  }

  /** Events as the store takes them, with correlation and causation in metadata (never in payloads). */
  newEvents(events: readonly CaseEvent[], causation: Causation): NewCaseEvent[] {
    const fingerprint = this.catalog.get(ContractNames.CaseEvent).fingerprintHex;
    return events.map((e) => ({
      eventId: randomUUID(),
      type: e.type,
      data: e.data,
      metadata: {
        ...(causation.correlationId ? { correlationId: causation.correlationId } : {}),
        ...(causation.messageId ? { causationId: causation.messageId } : {}),
        ...traceMetadata(causation.traceHeaders),
        ...(this.writer ? { writer: this.writer } : {}),
        ...versionMetadata(e.type),
      },
      schemaFingerprint: fingerprint,
    }));
  }

  private headers(caseId: string, messageId: string, causation: Causation): Record<string, string> {
    return {
      [Headers.messageId]: messageId,
      [Headers.caseId]: caseId,
      ...(causation.correlationId ? { 'baton-correlation-id': causation.correlationId } : {}),
      ...(causation.traceHeaders ?? {}),
    };
  }
}

/** The W3C trace headers worth keeping in an event's metadata. */
function traceMetadata(headers: Record<string, string> | undefined): { traceparent?: string; tracestate?: string } {
  if (!headers?.traceparent) return {};
  return { traceparent: headers.traceparent, ...(headers.tracestate ? { tracestate: headers.tracestate } : {}) };
}

/**
 * A compensation step type's input contract is `{ input: string, output: string }`: the JSON text
 * of the compensated step's input and output (contracts/README.md), so one compensation type can
 * undo steps of any shape.
 */
function compensationInput(value: unknown): { input: string; output: string } {
  const v = (value ?? {}) as { input?: unknown; output?: unknown };
  return { input: JSON.stringify(v.input ?? null), output: JSON.stringify(v.output ?? null) };
}
