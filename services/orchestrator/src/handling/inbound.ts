import { toPlain, type DecodedMessage, type SchemaCatalog } from '@baton/avro';
import { ClaimCorrupt, ClaimNotFound, type ClaimCheck } from '@baton/claims';
import { caseIdFor, ContractNames, MAX_CASE_INPUT_JSON_BYTES, SIGNAL_NAMES, STEP_RESULT_NAMES, stepContract, type Wire } from '@baton/contracts';
import { WorkflowNotFound, type ContractSync, type DefinitionRegistry } from '@baton/definitions';
import { findUnstorableText } from '@baton/event-store';
import { UnprocessableMessageError, type ConsumedMessage } from '@baton/kafka';
import type { CaseCommand, WorkflowDefinition } from '@baton/workflow-engine';
import { resolveExhausted } from './inbound-flow-control';

/** A consumed message as the case handler takes it. */
export interface InboundCommand {
  caseId: string;
  command: CaseCommand;
  /** The inbox key: the message's own id (trigger, result or signal id); none for heartbeats. */
  messageId?: string;
  correlationId?: string;
  /** For a trigger: the definition the case will pin. */
  workflow?: WorkflowDefinition;
}

/** The three inbound topic classes; each is consumed by a group of its own and carries only its own records. */
export type InboundTopic = 'triggers' | 'step-results' | 'signals';

/** The records each inbound topic carries (contracts/README.md); anything else on it is dead-lettered. */
export const INBOUND_RECORDS: Readonly<Record<InboundTopic, readonly string[]>> = {
  triggers: [ContractNames.TriggerCase, ContractNames.StartChildCase],
  'step-results': STEP_RESULT_NAMES,
  signals: SIGNAL_NAMES,
};

/**
 * Reads a message with the reader's current version of the writer's schema (schema evolution:
 * a message written with an older version is resolved to the current one).
 */
export function decodeCurrent(catalog: SchemaCatalog, buf: Buffer): DecodedMessage {
  const decoded = catalog.decode(buf);
  return catalog.get(decoded.writerName).fingerprint === decoded.fingerprint ? decoded : catalog.decode(buf, decoded.writerName);
}

/**
 * Maps the orchestrator's inbound contracts (triggers, step results, signals) to decider
 * commands. A message that can never be handled throws `UnprocessableMessageError`, which
 * dead-letters it: a record this topic does not carry (`UnexpectedRecord`), text PostgreSQL
 * cannot store anywhere in the record or the decoded input or output (`InvalidText`, naming the
 * field), an unknown workflow, a case input of the wrong record or above
 * `MAX_CASE_INPUT_JSON_BYTES` as JSON (`CaseInputTooLarge`).
 */
export class Inbound {
  /**
   * @param contracts - when given, the contract registry `catalog` is kept in step with: a trigger
   *   whose workflow names a step type or input record the catalog lacks, or a result whose output
   *   has an unknown writer fingerprint, looks the registry up first (a step type registered after
   *   this process started is usable without a restart)
   * @param claims - resolves a step output that arrives as a claim reference (claim check) before it is decoded
   */
  constructor(private readonly catalog: SchemaCatalog, private readonly registry: DefinitionRegistry, private readonly contracts?: ContractSync, private readonly claims?: ClaimCheck) {}

  /** @param topic - the class of the topic the message was read from, which decides the records it may carry */
  async toCommand(message: ConsumedMessage<DecodedMessage>, topic: InboundTopic): Promise<InboundCommand> {
    const { value, writerName } = message.value;
    if (!INBOUND_RECORDS[topic].includes(writerName)) {
      throw new UnprocessableMessageError('UnexpectedRecord', `topic ${message.topic} does not carry ${writerName} records (it carries ${INBOUND_RECORDS[topic].join(', ')})`);
    }
    refuseUnstorableText(writerName, value, '');
    const command = await this.map(writerName, value, message.topic);
    refuseUnstorableText(writerName, command.command.data, '');
    return command;
  }

  private async map(writerName: string, value: unknown, topic: string): Promise<InboundCommand> {
    switch (writerName) {
      case ContractNames.TriggerCase: return this.trigger(value as Wire.TriggerCase);
      case ContractNames.StartChildCase: return this.childTrigger(value as Wire.StartChildCase);
      case ContractNames.ChildCaseEnded: return childEnded(value as Wire.ChildCaseEnded);
      case ContractNames.StepCompleted: {
        const r = await this.resolvedOutput(value as Wire.StepCompleted);
        await this.contracts?.ensureStepTypes([r.stepType]);
        await this.contracts?.ensureWriterOf(r.output);
        return this.completed(r);
      }
      case ContractNames.StepFailed: {
        const r = value as Wire.StepFailed;
        return { caseId: r.caseId, messageId: r.resultId, command: { type: 'StepResultFailed', data: { stepId: r.stepId, attempt: r.attempt, error: { name: r.error.name, message: r.error.message, retryable: r.error.retryable, ...(r.error.retryAfterMs != null && r.error.retryAfterMs > 0 && { retryAfterMs: r.error.retryAfterMs }) } } } };
      }
      case ContractNames.StepHeartbeat: {
        const h = value as Wire.StepHeartbeat;
        return { caseId: h.caseId, command: { type: 'StepHeartbeatReceived', data: { stepId: h.stepId, attempt: h.attempt } } };
      }
      case ContractNames.ReviewDecision: {
        const s = value as Wire.ReviewDecision;
        if (s.editedOutput) await this.contracts?.ensureWriterOf(s.editedOutput);
        return this.decision(s);
      }
      case ContractNames.RetryCase: {
        const s = value as Wire.RetryCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'RetryStep', data: { stepId: s.stepId, ...(s.requestedBy ? { requestedBy: s.requestedBy } : {}), ...(s.principal ? { principal: s.principal } : {}) } } };
      }
      case ContractNames.CancelCase: {
        const s = value as Wire.CancelCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'CancelCase', data: { reason: s.reason, ...(s.requestedBy ? { requestedBy: s.requestedBy } : {}), ...(s.principal ? { principal: s.principal } : {}) } } };
      }
      case ContractNames.RepairCase: {
        const s = value as Wire.RepairCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'RepairCase', data: { ...(s.requestedBy ? { requestedBy: s.requestedBy } : {}), ...(s.principal ? { principal: s.principal } : {}) } } };
      }
      case ContractNames.SignalCase: return signal(value as Wire.SignalCase);
      case ContractNames.PauseCase: {
        const s = value as Wire.PauseCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'PauseCase', data: { ...(s.reason ? { reason: s.reason } : {}), ...operatorOf(s) } } };
      }
      case ContractNames.ResumeCase: {
        const s = value as Wire.ResumeCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'ResumeCase', data: operatorOf(s) } };
      }
      case ContractNames.ResetCase: {
        const s = value as Wire.ResetCase;
        return { caseId: s.caseId, messageId: s.signalId, command: { type: 'ResetCase', data: { stepId: s.stepId, ...(s.reason ? { reason: s.reason } : {}), ...operatorOf(s) } } };
      }
      case ContractNames.ResolveExhaustedStep: return resolveExhausted(value as Wire.ResolveExhaustedStep);
      default:
        throw new UnprocessableMessageError('UnexpectedRecord', `topic ${topic} does not carry ${writerName} records`);
    }
  }

  private async trigger(t: Wire.TriggerCase): Promise<InboundCommand> {
    let workflow: WorkflowDefinition;
    try {
      workflow = await this.registry.get(t.workflow, t.version ?? undefined);
    } catch (error) {
      if (error instanceof WorkflowNotFound) throw new UnprocessableMessageError('WorkflowNotFound', `trigger ${t.triggerId}: ${error.message}`);
      throw error;
    }
    await this.learnContractsOf(workflow, t.input);
    let input: unknown;
    try {
      input = toPlain(this.catalog.decode(t.input, workflow.input).value, { json: true });
    } catch (error) {
      throw new UnprocessableMessageError('InvalidCaseInput', `trigger ${t.triggerId}: field 'input' is not a ${workflow.input ?? 'registered Avro record'} in the single-object encoding: ${(error as Error).message}`);
    }
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > MAX_CASE_INPUT_JSON_BYTES) {
      throw new UnprocessableMessageError('CaseInputTooLarge', `trigger ${t.triggerId}: field 'input' is ${bytes} bytes as JSON, above the limit of ${MAX_CASE_INPUT_JSON_BYTES} bytes that a case event can carry`);
    }
    const caseId = caseIdFor({ workflow: t.workflow, key: t.key, triggerId: t.triggerId, tenant: t.tenant ?? null });
    return {
      caseId, workflow, messageId: t.triggerId, ...(t.correlationId ? { correlationId: t.correlationId } : {}),
      command: { type: 'StartCase', data: { caseId, input, ...(t.key ? { key: t.key } : {}), triggeredBy: t.source, ...(t.tenant && t.tenant !== 'default' ? { tenant: t.tenant } : {}) } },
    };
  }

  /** A sub-workflow step's child: a trigger whose case id derives from its key and that records its parent. */
  private async childTrigger(t: Wire.StartChildCase): Promise<InboundCommand> {
    const trigger = await this.trigger({ triggerId: t.triggerId, workflow: t.workflow, version: t.version, key: t.key, input: t.input, source: `case:${t.parentCaseId}`, correlationId: null, requestedAt: t.requestedAt, tenant: null });
    const start = trigger.command as Extract<CaseCommand, { type: 'StartCase' }>;
    return { ...trigger, command: { type: 'StartCase', data: { ...start.data, parent: { caseId: t.parentCaseId, stepId: t.parentStepId, attempt: t.parentAttempt } } } };
  }

  /**
   * The result with its output read from the claim store when it carries a claim reference.
   * A reference the store does not hold is dead-lettered (`ClaimNotFound`); a store that cannot
   * be reached is retried (any other error).
   */
  private async resolvedOutput(r: Wire.StepCompleted): Promise<Wire.StepCompleted> {
    if (!this.claims || !this.claims.referenceIn(r.output)) return r;
    try {
      return { ...r, output: await this.claims.resolve(r.output) };
    } catch (error) {
      if (error instanceof ClaimNotFound || error instanceof ClaimCorrupt) throw new UnprocessableMessageError(error.name, `result ${r.resultId}: field 'output': ${error.message}`);
      throw error;
    }
  }

  /** Looks the registry up when the catalog lacks a contract the workflow's cases will need. */
  private async learnContractsOf(workflow: WorkflowDefinition, input: Buffer): Promise<void> {
    if (!this.contracts) return;
    await this.contracts.ensureStepTypes(Object.values(workflow.steps).flatMap((s) => [...(s.kind === undefined && !s.workflow ? [s.type] : []), ...(s.compensate ? [s.compensate] : [])]));
    await this.contracts.ensureNames(workflow.input ? [workflow.input] : []);
    await this.contracts.ensureWriterOf(input);
  }

  /** A result whose output is not the step type's output record (or a version it can read) is a non-retryable `OutputSchemaViolation`. */
  private completed(r: Wire.StepCompleted): InboundCommand {
    const base = { caseId: r.caseId, messageId: r.resultId };
    let output: unknown;
    try {
      output = toPlain(this.catalog.decode(r.output, stepContract(this.catalog, r.stepType).outputName).value, { json: true });
    } catch (error) {
      return { ...base, command: { type: 'StepResultFailed', data: { stepId: r.stepId, attempt: r.attempt, error: { name: 'OutputSchemaViolation', message: `the output of step '${r.stepId}' is not a ${r.stepType} output: ${(error as Error).message}`, retryable: false } } } };
    }
    const m = r.metering;
    return { ...base, command: { type: 'StepResultCompleted', data: { stepId: r.stepId, attempt: r.attempt, output, ...(m ? { metering: { model: m.model, ...(m.modelVersion ? { modelVersion: m.modelVersion } : {}), inputTokens: m.inputTokens, outputTokens: m.outputTokens, costUsd: m.costUsd } } : {}) } } };
  }

  /** An edit's output is read from `editedOutput` (the step's output record), else from the older JSON `output`. */
  private decision(s: Wire.ReviewDecision): InboundCommand {
    let output: unknown;
    if (s.editedOutput) {
      try {
        output = toPlain(this.catalog.decode(s.editedOutput).value, { json: true });
      } catch (error) {
        throw new UnprocessableMessageError('InvalidReviewOutput', `decision ${s.signalId}: field 'editedOutput' does not decode: ${(error as Error).message}`);
      }
    } else if (s.output !== null) {
      try {
        output = JSON.parse(s.output);
      } catch (error) {
        throw new UnprocessableMessageError('InvalidReviewOutput', `decision ${s.signalId}: field 'output' is not JSON: ${(error as Error).message}`);
      }
    }
    const decision = s.decision === 'APPROVE' ? 'approve' : s.decision === 'REJECT' ? 'reject' : 'edit';
    return {
      caseId: s.caseId, messageId: s.signalId,
      command: { type: 'DecideReview', data: { taskId: s.taskId, decision, ...(output !== undefined ? { output } : {}), ...(s.comment ? { comment: s.comment } : {}), ...(s.reviewer ? { reviewer: s.reviewer } : {}), ...(s.principal ? { principal: s.principal } : {}) } },
    };
  }
}

/** A `SignalCase` as `ReceiveSignal`; a payload that is not JSON text is dead-lettered (`InvalidSignalPayload`). */
function signal(s: Wire.SignalCase): InboundCommand {
  let payload: unknown = null;
  if (s.payload !== null) {
    try {
      payload = JSON.parse(s.payload);
    } catch (error) {
      throw new UnprocessableMessageError('InvalidSignalPayload', `signal ${s.signalId}: field 'payload' is not JSON text: ${(error as Error).message}`);
    }
  }
  return { caseId: s.caseId, messageId: s.signalId, command: { type: 'ReceiveSignal', data: { signalId: s.signalId, name: s.name, payload, ...(s.principal ? { principal: s.principal } : {}) } } };
}

/**
 * Dead-letters a message holding text the event store cannot store, naming the field: in the
 * record itself (`workflow`, `key`), or in the command built from it (the decoded case input or
 * step output, e.g. `input.raw`, `output.label`).
 */
function refuseUnstorableText(writerName: string, value: unknown, root: string): void {
  const found = findUnstorableText(value, root);
  if (found) throw new UnprocessableMessageError('InvalidText', `${writerName} field '${found.path}' ${found.problem}`);
}

/** `requestedBy` and `principal` of an operator signal, each only when set. */
function operatorOf(s: { requestedBy: string | null; principal: string | null }): { requestedBy?: string; principal?: string } {
  return { ...(s.requestedBy ? { requestedBy: s.requestedBy } : {}), ...(s.principal ? { principal: s.principal } : {}) };
}

/** A child case's end, for its parent: `ChildCaseEnded` (output as JSON text, which must parse). */
function childEnded(s: Wire.ChildCaseEnded): InboundCommand {
  let output: unknown;
  try {
    output = s.output === null ? undefined : JSON.parse(s.output);
  } catch (error) {
    throw new UnprocessableMessageError('InvalidChildOutput', `signal ${s.signalId}: field 'output' is not JSON: ${(error as Error).message}`);
  }
  return {
    caseId: s.caseId, messageId: s.signalId,
    command: { type: 'ChildCaseEnded', data: { stepId: s.stepId, attempt: s.attempt, childCaseId: s.childCaseId, status: s.status, ...(output !== undefined && { output }), ...(s.error && { error: s.error }) } },
  };
}
