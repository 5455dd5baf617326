import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { MessageProducer } from './producer';
import { ensureTopics, loadTopicPlan, topicSpecs } from './topics';

describe('topic administration', () => {
  const kafka = createKafka({ clientId: 'topics-int-test', brokers: kafkaBrokers() });

  it('creates topics and their dead-letter topics with the configured partition counts, once', async () => {
    const step = `baton.step.${uniqueName('test')}`;
    const plain = uniqueName('plain');
    const plan = { defaultPartitions: 2, deadLetterPartitions: 1, stepTopicPartitions: 4, topics: { [plain]: 5 } };
    const first = await ensureTopics(kafka, topicSpecs(plan, [step, plain]));
    assert.deepEqual(first.created.sort(), [step, `${step}.dlt`, plain, `${plain}.dlt`].sort());
    const second = await ensureTopics(kafka, topicSpecs(plan, [step, plain]));
    assert.equal(second.created.length, 0);
    assert.equal(second.existing.length, 4);
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [step, plain, `${plain}.dlt`] });
    await admin.disconnect();
    const counts = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    assert.deepEqual(counts, { [step]: 4, [plain]: 5, [`${plain}.dlt`]: 1 });
    const changed = await ensureTopics(kafka, topicSpecs({ ...plan, topics: { [plain]: 7 } }, [plain]));
    assert.deepEqual(changed.mismatched, [{ topic: plain, configured: 7, actual: 5 }]);
  });

  it('refuses to produce to a topic nobody created, since broker auto-creation is off', async () => {
    const producer = new MessageProducer(createKafka({ clientId: 'topics-int-test-2', brokers: kafkaBrokers() }), { retries: 1 });
    await assert.rejects(producer.send([{ topic: uniqueName('missing'), key: 'k', value: Buffer.from('x') }]));
    await producer.disconnect();
  });

  it('gives a namespaced topic the count configured for its contract name', () => {
    const plan = { defaultPartitions: 2, deadLetterPartitions: 1, stepTopicPartitions: 4, topics: { 'baton.triggers': 6 } };
    const specs = topicSpecs(plan, ['team-a.baton.triggers', 'team-a.baton.step.noop', 'team-a.baton.signals']);
    assert.deepEqual(specs.filter((s) => !s.topic.endsWith('.dlt')).map((s) => [s.topic, s.partitions]), [
      ['team-a.baton.triggers', 6], ['team-a.baton.step.noop', 4], ['team-a.baton.signals', 2],
    ]);
  });

  it('reads the partition plan from deploy/topics.json and names a bad field', () => {
    const plan = loadTopicPlan();
    assert.equal(plan.topics['baton.triggers'], 6);
    assert.ok(plan.stepTopicPartitions >= 1);
    assert.throws(() => loadTopicPlan(__filename.replace(/topics\.int\.spec\.ts$/, '../test-fixtures/bad-topics.json')), /field 'topics.baton.triggers' must be a positive integer/);
  });
});
