import { randomUUID } from 'node:crypto';
import type { SchemaCatalog } from '@baton/avro';
import { caseIdFor, ContractNames } from '@baton/contracts';
import type { MessageProducer, OutgoingMessage } from '@baton/kafka';

/** A `TriggerCase` message for `workflow`, its input encoded as the record `inputName`. */
export function triggerMessage(catalog: SchemaCatalog, topic: string, o: { workflow: string; inputName: string; input: unknown; key?: string; triggerId?: string; version?: number }): OutgoingMessage {
  const triggerId = o.triggerId ?? randomUUID();
  return {
    // Keys are case ids, so a trigger lands on the partition of the case's other messages.
    topic, key: caseIdFor({ workflow: o.workflow, key: o.key ?? null, triggerId }),
    value: catalog.encode(ContractNames.TriggerCase, {
      triggerId, workflow: o.workflow, version: o.version ?? null, key: o.key ?? null,
      input: catalog.encode(o.inputName, o.input), source: 'kafka', correlationId: null, requestedAt: Date.now(),
    }),
  };
}

/** Sends a `TriggerCase` (see {@link triggerMessage}) and returns the id of the case it names. */
export async function sendTrigger(producer: MessageProducer, catalog: SchemaCatalog, topic: string, o: Parameters<typeof triggerMessage>[2]): Promise<string> {
  const msg = triggerMessage(catalog, topic, o);
  await producer.send([msg]);
  const { triggerId } = catalog.decode(msg.value).value as { triggerId: string };
  return caseIdFor({ workflow: o.workflow, key: o.key ?? null, triggerId });
}
