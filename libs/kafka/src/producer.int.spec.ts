import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collect, kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { MessageProducer } from './producer';
import { ensureTopics, topicSpecs } from './topics';

const plan = { defaultPartitions: 2, deadLetterPartitions: 1, stepTopicPartitions: 1, topics: {} };

describe('the producer coalesces concurrent sends, against a real broker', () => {
  const kafka = createKafka({ clientId: 'producer-int-test', brokers: kafkaBrokers() });
  const producer = new MessageProducer(kafka);
  const topic = uniqueName('coalesce');

  before(async () => {
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    await producer.connect();
  });
  after(async () => producer.disconnect());

  it('sends 200 concurrent calls in far fewer requests, every message once and in order per key', async () => {
    const before = producer.requests;
    await Promise.all(Array.from({ length: 200 }, (_, i) => producer.send([{ topic, key: `k${i % 4}`, value: Buffer.from(String(i)) }])));
    const requests = producer.requests - before;
    assert.ok(requests < 50, `200 calls took ${requests} requests`);
    const got = await collect(kafka, topic, 200);
    assert.equal(got.length, 200);
    for (let k = 0; k < 4; k++) {
      const values = got.filter((m) => m.message.key?.toString() === `k${k}`).map((m) => Number(m.message.value!.toString()));
      assert.deepEqual(values, [...values].sort((a, b) => a - b), `key k${k} in order`);
    }
  });

  it('fails only the call whose message cannot be sent, not the calls that shared its request', async () => {
    const missing = uniqueName('no-such-topic');
    const impatient = new MessageProducer(kafka, { retries: 1 });
    const results = await Promise.allSettled([
      impatient.send([{ topic, key: 'a', value: Buffer.from('before') }]),
      impatient.send([{ topic: missing, key: 'a', value: Buffer.from('lost') }]),
      impatient.send([{ topic, key: 'a', value: Buffer.from('after') }]),
    ]);
    await impatient.disconnect();
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });
});
