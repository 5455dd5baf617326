import { randomUUID } from 'node:crypto';
import type { SchemaCatalog } from '@baton/avro';
import { ContractNames, caseIdFor, type TopicNames, type Wire } from '@baton/contracts';
import type { MessageProducer } from '@baton/kafka';

/** A start-case request as the gateway publishes it. */
export interface TriggerRequest {
  workflow: string;
  /** The version to pin; absent: the newest at the time the orchestrator reads the trigger. */
  version?: number;
  /** The case input, already encoded (single-object encoding of the workflow's input record). */
  input: Buffer;
  key?: string;
  correlationId?: string;
  /** The caller's tenant (part of a keyed case id unless `default`). */
  tenant?: string;
}

/**
 * Publishes `TriggerCase` messages (source `http`) on the triggers topic, keyed by the case id so
 * that everything about one case stays in one partition, in order.
 */
export class TriggerPublisher {
  constructor(private readonly producer: MessageProducer, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames) {}

  /** The case id `caseIdFor` gives the trigger, known before the orchestrator reads it. */
  static caseIdOf(request: { workflow: string; key?: string; tenant?: string }, triggerId: string): string {
    return caseIdFor({ workflow: request.workflow, key: request.key ?? null, triggerId, tenant: request.tenant ?? null });
  }

  /**
   * Sends the trigger and resolves once the broker acknowledged it.
   * @returns the trigger id (a fresh UUID) and the case id it names
   */
  async publish(request: TriggerRequest, triggerId: string = randomUUID()): Promise<{ triggerId: string; caseId: string }> {
    const caseId = TriggerPublisher.caseIdOf(request, triggerId);
    const trigger: Wire.TriggerCase = {
      triggerId, workflow: request.workflow, version: request.version ?? null, key: request.key ?? null,
      input: request.input, source: 'http', correlationId: request.correlationId ?? null, requestedAt: Date.now(), tenant: request.tenant ?? null,
    };
    await this.producer.send([{ topic: this.topics.triggers, key: caseId, value: this.catalog.encode(ContractNames.TriggerCase, trigger) }]);
    return { triggerId, caseId };
  }
}
