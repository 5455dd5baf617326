import { randomUUID } from 'node:crypto';
import type { SchemaCatalog } from '@baton/avro';
import { ContractNames, type TopicNames, type Wire } from '@baton/contracts';
import type { MessageProducer } from '@baton/kafka';

/**
 * Publishes operator actions, review decisions and case signals (`RetryCase`, `CancelCase`, `RepairCase`, `PauseCase`, `ResumeCase`, `ResetCase`, `ReviewDecision`, `SignalCase`)
 * on the signals topic, keyed by the case id. Each signal has a fresh id: the orchestrator's
 * inbox drops a redelivery of it, not a second request.
 */
export class SignalPublisher {
  constructor(private readonly producer: MessageProducer, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames) {}

  /** Asks the orchestrator to re-open a failed case from `stepId`. @returns the signal id */
  retry(caseId: string, stepId: string, requestedBy?: string, principal?: string): Promise<string> {
    const signal: Wire.RetryCase = { signalId: randomUUID(), caseId, stepId, requestedBy: requestedBy ?? null, requestedAt: Date.now(), principal: principal ?? null };
    return this.send(caseId, ContractNames.RetryCase, signal, signal.signalId);
  }

  /** Asks the orchestrator to cancel a case. @returns the signal id */
  cancel(caseId: string, reason: string, requestedBy?: string, principal?: string): Promise<string> {
    const signal: Wire.CancelCase = { signalId: randomUUID(), caseId, reason, requestedBy: requestedBy ?? null, requestedAt: Date.now(), principal: principal ?? null };
    return this.send(caseId, ContractNames.CancelCase, signal, signal.signalId);
  }

  /** Asks the orchestrator to set again what a running case's events say must be pending. @returns the signal id */
  repair(caseId: string, requestedBy?: string, principal?: string): Promise<string> {
    const signal: Wire.RepairCase = { signalId: randomUUID(), caseId, requestedBy: requestedBy ?? null, requestedAt: Date.now(), principal: principal ?? null };
    return this.send(caseId, ContractNames.RepairCase, signal, signal.signalId);
  }

  /** Asks the orchestrator to hold a case (nothing new starts). @returns the signal id */
  pause(caseId: string, o: { reason?: string; requestedBy?: string; principal?: string } = {}): Promise<string> {
    const signal: Wire.PauseCase = { signalId: randomUUID(), caseId, reason: o.reason ?? null, ...operator(o), requestedAt: Date.now() };
    return this.send(caseId, ContractNames.PauseCase, signal, signal.signalId);
  }

  /** Asks the orchestrator to end a case's pause. @returns the signal id */
  resume(caseId: string, o: { requestedBy?: string; principal?: string } = {}): Promise<string> {
    const signal: Wire.ResumeCase = { signalId: randomUUID(), caseId, ...operator(o), requestedAt: Date.now() };
    return this.send(caseId, ContractNames.ResumeCase, signal, signal.signalId);
  }

  /** Asks the orchestrator to run an open case again from `stepId`. @returns the signal id */
  reset(caseId: string, stepId: string, o: { reason?: string; requestedBy?: string; principal?: string } = {}): Promise<string> {
    const signal: Wire.ResetCase = { signalId: randomUUID(), caseId, stepId, reason: o.reason ?? null, ...operator(o), requestedAt: Date.now() };
    return this.send(caseId, ContractNames.ResetCase, signal, signal.signalId);
  }

  /**
   * A named signal for a case (`SignalCase`), its data as JSON text.
   * @param signalId - the caller's idempotency key; default a fresh UUID
   * @returns the signal id
   */
  signal(s: { caseId: string; name: string; data?: unknown; signalId?: string; principal?: string }): Promise<string> {
    const signal: Wire.SignalCase = {
      signalId: s.signalId ?? randomUUID(), caseId: s.caseId, name: s.name, payload: s.data === undefined ? null : JSON.stringify(s.data),
      principal: s.principal ?? null, sentAt: Date.now(),
    };
    return this.send(s.caseId, ContractNames.SignalCase, signal, signal.signalId);
  }

  /**
   * A reviewer's decision on a task; an edit's corrected output travels as a record of the step
   * type's output contract (`editedOutput`, single-object encoding).
   * @param d.outputRecord - the full name of the step type's output record, for an edit
   * @returns the signal id
   * @throws AvroEncodeError when the output does not match that record
   */
  decide(d: { caseId: string; taskId: string; decision: 'approve' | 'reject' | 'edit'; output?: unknown; outputRecord?: string; comment?: string; reviewer?: string; principal?: string }): Promise<string> {
    const editedOutput = d.output === undefined ? null : this.catalog.encode(d.outputRecord ?? fail('an edited output needs its output record'), d.output);
    const signal: Wire.ReviewDecision = {
      signalId: randomUUID(), caseId: d.caseId, taskId: d.taskId,
      decision: d.decision === 'approve' ? 'APPROVE' : d.decision === 'reject' ? 'REJECT' : 'EDIT',
      output: null, editedOutput, comment: d.comment ?? null, reviewer: d.reviewer ?? null, decidedAt: Date.now(), principal: d.principal ?? null,
    };
    return this.send(d.caseId, ContractNames.ReviewDecision, signal, signal.signalId);
  }

  /** Resolves a step waiting for an operator: `retry`, or `skip` with `output` (sent as JSON text). @returns the signal id */
  resolveExhausted(caseId: string, stepId: string, action: 'retry' | 'skip', output?: unknown, principal?: string): Promise<string> {
    const signal: Wire.ResolveExhaustedStep = {
      signalId: randomUUID(), caseId, stepId, action: action === 'retry' ? 'RETRY' : 'SKIP',
      output: output === undefined ? null : JSON.stringify(output), principal: principal ?? null, requestedAt: Date.now(),
    };
    return this.send(caseId, ContractNames.ResolveExhaustedStep, signal, signal.signalId);
  }

  private async send(caseId: string, name: string, value: unknown, signalId: string): Promise<string> {
    await this.producer.send([{ topic: this.topics.signals, key: caseId, value: this.catalog.encode(name, value) }]);
    return signalId;
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** `requestedBy` and `principal` as a signal carries them (null when absent). */
function operator(o: { requestedBy?: string; principal?: string }): { requestedBy: string | null; principal: string | null } {
  return { requestedBy: o.requestedBy ?? null, principal: o.principal ?? null };
}
