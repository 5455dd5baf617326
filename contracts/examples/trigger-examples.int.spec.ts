import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { caseIdFor, ContractNames, loadContracts, topicNames, type InboxMessage, type Wire } from '../src';
import { createKafka, ensureTopics, kafkaCredentialsFromEnv, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { collect, kafkaBrokers, uniqueName } from '@baton/testing';

const root = resolve(__dirname, '../..');
const catalog = loadContracts();

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => (error ? fail(new Error(`${cmd} ${args.join(' ')}: ${stderr}`)) : done(stdout)));
  });
}

const hasFastavro = (() => {
  try {
    execFileSync('python3', ['-c', 'import fastavro']);
    return true;
  } catch {
    return false;
  }
})();

describe('publishing a trigger on Kafka from outside Baton (contracts/README.md)', () => {
  it('the TypeScript example publishes a trigger keyed by its case id, whose input is the workflow input record', async () => {
    const namespace = uniqueName('upstream').replace(/[^A-Za-z0-9_-]/g, '');
    const kafka = createKafka({ clientId: namespace, brokers: kafkaBrokers() });
    const topic = topicNames(namespace).triggers;
    const credentials = kafkaCredentialsFromEnv();
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topic]));
    const out = await run(process.execPath, ['-r', '@swc-node/register', 'contracts/examples/publish-trigger.ts', 'inbox-triage', 'msg-42'], {
      KAFKA_BROKERS: kafkaBrokers().join(','), BATON_TOPIC_NAMESPACE: namespace, SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      // An upstream authenticates as a principal that may write the triggers (here the test's own).
      ...(credentials && { KAFKA_SASL_USERNAME: credentials.username, KAFKA_SASL_PASSWORD: credentials.password }),
    });
    const [got] = await collect(kafka, topic, 1);
    const decoded = catalog.decode<Wire.TriggerCase>(got!.message.value!);
    assert.equal(decoded.writerName, ContractNames.TriggerCase);
    assert.equal(got!.message.key!.toString(), out.trim());
    assert.equal(out.trim(), caseIdFor({ workflow: 'inbox-triage', key: 'msg-42', triggerId: decoded.value.triggerId }));
    assert.equal(catalog.decode<InboxMessage>(decoded.value.input).writerName, ContractNames.InboxMessage);
  });

  it('the Python example (fastavro) encodes a trigger the TypeScript side decodes, with the same case id', { skip: hasFastavro ? false : 'python3 has no fastavro (pip install fastavro)' }, async () => {
    const input = { messageId: 'py-1', raw: 'Subject: from Python\n\nhello', receivedAt: 1767225600000, mailbox: 'support' };
    const out = JSON.parse(await run('python3', ['contracts/examples/publish_trigger.py', 'inbox-triage', 'py-1', JSON.stringify(input)])) as { key: string; value: string };
    const decoded = catalog.decode<Wire.TriggerCase>(Buffer.from(out.value, 'base64'));
    assert.equal(decoded.writerName, ContractNames.TriggerCase);
    assert.deepEqual([decoded.value.workflow, decoded.value.key, decoded.value.source, decoded.value.version], ['inbox-triage', 'py-1', 'kafka', null]);
    assert.equal(out.key, caseIdFor({ workflow: 'inbox-triage', key: 'py-1', triggerId: decoded.value.triggerId }));
    assert.deepEqual({ ...catalog.decode<InboxMessage>(decoded.value.input).value }, input);
    const keyless = JSON.parse(await run('python3', ['contracts/examples/publish_trigger.py', 'inbox-triage', '', JSON.stringify(input)])) as { key: string; value: string };
    const k = catalog.decode<Wire.TriggerCase>(Buffer.from(keyless.value, 'base64')).value;
    assert.equal(keyless.key, caseIdFor({ workflow: 'inbox-triage', key: null, triggerId: k.triggerId }));
  });
});
