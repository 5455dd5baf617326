import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { localCredentials } from './credentials';
import { ensureTopics, topicSpecs } from './topics';

const run = promisify(execFile);
const security = resolve(__dirname, '../../../deploy/local/kafka-security.mjs');
/**
 * The protocol error type of a kafkajs error (`TOPIC_AUTHORIZATION_FAILED`), else its text. The consumer's
 * retrier wraps the protocol error in a KafkaJSNonRetriableError that keeps only its message, the
 * broker's own text for the error code (kafkajs src/protocol/error.js).
 */
function errorType(error: unknown): string {
  const e = error as { type?: string; message?: string };
  if (e.type) return e.type;
  if (e.message?.startsWith('Not authorized to access topics')) return 'TOPIC_AUTHORIZATION_FAILED';
  if (e.message?.startsWith('Not authorized to access group')) return 'GROUP_AUTHORIZATION_FAILED';
  return String(error);
}

const plan = { defaultPartitions: 1, deadLetterPartitions: 1, stepTopicPartitions: 1, topics: {} };

/** A client as `principal`, with its password from the local broker's credentials file, retrying little. */
function as(principal: string): Kafka {
  const credentials = localCredentials(principal);
  assert.ok(credentials, 'the local broker has a credentials file (deploy/local/kafka.sh writes it)');
  return createKafka({ clientId: `acl-test-${principal}`, brokers: kafkaBrokers(), credentials, retries: 3, logLevel: 'ERROR' });
}

/** The kafkajs error type of a send to `topic`, or `sent`. */
async function produceAs(kafka: Kafka, topic: string): Promise<string> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    return 'sent';
  } catch (error) {
    return errorType(error);
  } finally {
    await producer.disconnect();
  }
}

/** The kafkajs error type of reading `topic` (which holds a message) in `groupId`, `read` when a message came, `nothing` after 20 s. */
async function readAs(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 2 } });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<string>((resolveRead, reject) => {
      timer = setTimeout(() => resolveRead('nothing'), 20_000);
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      void consumer.run({ eachMessage: async () => resolveRead('read') }).catch(reject);
    });
  } catch (error) {
    return errorType(error);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

describe('the secured broker: each service principal may do only its part (deploy/kafka-acls.json)', () => {
  const namespace = uniqueName('acl');
  const t = (name: string): string => `${namespace}.${name}`;

  before(async () => {
    // The plan's ACLs under this test's own namespace, created by the script the local broker's start runs.
    const { stdout } = await run(process.execPath, [security, 'acls', '--namespace', namespace], { env: { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(',') } });
    assert.match(stdout, /ACL bindings in place/);
    const admin = as('admin');
    const topics = ['baton.triggers', 'baton.signals', 'baton.step-results', 'baton.step.email.parse', 'baton.step.lead.qualify'].map(t);
    await ensureTopics(admin, topicSpecs(plan, topics));
    for (const topic of topics) assert.equal(await produceAs(admin, topic), 'sent');
  });

  it('refuses a step service principal a write to baton.triggers (TopicAuthorizationFailed), yet takes its results', async () => {
    const triage = as('baton-triage-steps');
    assert.equal(await produceAs(triage, t('baton.triggers')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await produceAs(triage, t('baton.signals')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await produceAs(triage, t('baton.step-results')), 'sent');
  });

  it("refuses a step team another team's step topic, and lets it read its own in its group", async () => {
    const triage = as('baton-triage-steps');
    assert.equal(await readAs(triage, t('baton.step.lead.qualify'), t('baton-step-lead.qualify')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await produceAs(triage, t('baton.step.lead.qualify')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await readAs(triage, t('baton.step.email.parse'), t('baton-step-email.parse')), 'read');
    assert.equal(await readAs(as('lead-steps'), t('baton.step.lead.qualify'), t('baton-step-lead.qualify')), 'read');
  });

  it('lets the gateway write triggers and signals only, and read nothing', async () => {
    const gateway = as('baton-gateway');
    assert.equal(await produceAs(gateway, t('baton.triggers')), 'sent');
    assert.equal(await produceAs(gateway, t('baton.signals')), 'sent');
    assert.equal(await produceAs(gateway, t('baton.step-results')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await produceAs(gateway, t('baton.step.email.parse')), 'TOPIC_AUTHORIZATION_FAILED');
    assert.notEqual(await readAs(gateway, t('baton.triggers'), t('baton-orchestrator.triggers')), 'read');
  });

  it('lets the orchestrator read triggers and write step requests', async () => {
    const orchestrator = as('baton-orchestrator');
    assert.equal(await readAs(orchestrator, t('baton.triggers'), t('baton-orchestrator.triggers')), 'read');
    assert.equal(await produceAs(orchestrator, t('baton.step.email.parse')), 'sent');
  });

  it('refuses a client without credentials', async () => {
    const anonymous = createKafka({ clientId: 'acl-test-anonymous', brokers: kafkaBrokers(), credentials: null, retries: 0, logLevel: 'ERROR' });
    const admin = anonymous.admin();
    await assert.rejects(async () => { await admin.connect(); await admin.listTopics(); });
    await admin.disconnect();
  });

});
