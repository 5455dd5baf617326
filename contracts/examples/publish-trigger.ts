/**
 * Publishes one Baton trigger on Kafka, as an upstream system does (contracts/README.md,
 * "Publishing a trigger on Kafka"). Against `npm start -- --keep`:
 *
 *     node -r @swc-node/register contracts/examples/publish-trigger.ts inbox-triage msg-42
 *
 * Prints the case id; `baton case <id>` follows it. Reads KAFKA_BROKERS and BATON_TOPIC_NAMESPACE.
 */
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
// Outside this repository: from '@baton/contracts' (here the package's own index, as Nx wants inside it).
import { caseIdFor, ContractNames, loadContracts, topicNames, type InboxMessage, type Wire } from '../src';

async function main(workflow: string, key: string | null): Promise<void> {
  const catalog = loadContracts();
  const input: InboxMessage = { messageId: key ?? randomUUID(), raw: 'Subject: hello\r\n\r\nA message from upstream.', receivedAt: Date.now(), mailbox: null };
  const trigger: Wire.TriggerCase = {
    triggerId: randomUUID(), workflow, version: null, key,
    input: catalog.encode(ContractNames.InboxMessage, input), // the workflow's input record, single-object encoded
    source: 'kafka', correlationId: null, requestedAt: Date.now(), tenant: null,
  };
  const caseId = caseIdFor(trigger); // the message key: every message of a case in one partition
  const kafka = new Kafka({ clientId: 'upstream-example', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await producer.send({ topic: topicNames(process.env.BATON_TOPIC_NAMESPACE ?? '').triggers, messages: [{ key: caseId, value: catalog.encode(ContractNames.TriggerCase, trigger) }] });
  await producer.disconnect();
  console.log(caseId);
}

main(process.argv[2] ?? 'inbox-triage', process.argv[3] ?? null).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
