/**
 * Publishes one Baton trigger on Kafka, as an upstream system does (contracts/README.md,
 * "Publishing a trigger on Kafka"). Against `npm start -- --keep`:
 *
 *     node -r @swc-node/register contracts/examples/publish-trigger.ts inbox-triage msg-42
 *
 * Prints the case id; `baton case <id>` follows it. Reads KAFKA_BROKERS and BATON_TOPIC_NAMESPACE, and
 * KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (SCRAM-SHA-512) of a principal that may write `baton.triggers`
 * (docs/SECURITY.md, "Kafka"; locally `baton-gateway`'s password in .baton/kafka/credentials.json).
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
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = process.env;
  const kafka = new Kafka({
    clientId: 'upstream-example', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    ...(username && password ? { sasl: { mechanism: 'scram-sha-512' as const, username, password } } : {}),
  });
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
