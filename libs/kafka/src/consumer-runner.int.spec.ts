import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaCatalog } from '@baton/avro';
import { collect, eventually, kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { ConsumerRunner, type ConsumedMessage } from './consumer-runner';
import { UnprocessableMessageError } from './errors';
import { DeadLetterHeaders, Headers, headersToRecord } from './headers';
import { MessageProducer } from './producer';
import { ensureTopics, topicSpecs } from './topics';

const plan = { defaultPartitions: 2, deadLetterPartitions: 1, stepTopicPartitions: 2, topics: {} };
const orderV1 = { type: 'record', name: 'Order', namespace: 'baton.test', fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }] };
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };

describe('the consumer runner against a real broker', () => {
  const kafka = createKafka({ clientId: 'kafka-int-test', brokers: kafkaBrokers() });
  const producer = new MessageProducer(kafka);
  const runners: ConsumerRunner<unknown>[] = [];

  before(async () => { await producer.connect(); });
  after(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await producer.disconnect();
  });

  async function run<T>(topic: string, decode: (b: Buffer) => T, handle: (m: ConsumedMessage<T>) => Promise<void>, extra: { maxAttempts?: number } = {}) {
    const runner = new ConsumerRunner<T>({
      kafka, groupId: uniqueName('g'), topics: [topic], decode, handle, deadLetters: producer, fromBeginning: true,
      retry: { initialMs: 20, maxMs: 100, ...(extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {}) },
      onCrash: (e) => { throw e; },
    });
    runners.push(runner as ConsumerRunner<unknown>);
    await runner.start();
    return runner;
  }

  it('delivers an Avro message byte for byte with its headers', async () => {
    const topic = uniqueName('t.roundtrip');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    const catalog = new SchemaCatalog();
    catalog.register(orderV1);
    const value = catalog.encode('baton.test.Order', { id: 'o-1', amount: 4200 });
    const got: ConsumedMessage<unknown>[] = [];
    await run(topic, (b) => catalog.decode(b).value, async (m) => { got.push(m); });
    await producer.send([{ topic, key: 'case-1', value, headers: { [Headers.caseId]: 'case-1', [Headers.traceparent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }]);
    await eventually(() => got.length === 1, 'the message');
    const m = got[0]!;
    assert.ok(m.raw.equals(value), 'the consumed bytes equal the produced bytes');
    assert.deepEqual({ ...(m.value as object) }, { id: 'o-1', amount: 4200 });
    assert.equal(m.key, 'case-1');
    assert.equal(m.headers[Headers.caseId], 'case-1');
    assert.equal(m.headers[Headers.traceparent], '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    assert.match(m.headers[Headers.messageId] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('reads a message written with an older schema version through the newer one', async () => {
    const topic = uniqueName('t.evolution');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    const oldWriter = new SchemaCatalog();
    oldWriter.register(orderV1);
    const reader = new SchemaCatalog();
    reader.register(orderV1, { current: false });
    reader.register(orderV2);
    const got: unknown[] = [];
    await run(topic, (b) => reader.decode(b, 'baton.test.Order').value, async (m) => { got.push(m.value); });
    await producer.send([{ topic, key: 'case-2', value: oldWriter.encode('baton.test.Order', { id: 'o-2', amount: 7 }) }]);
    await eventually(() => got.length === 1, 'the old-version message');
    assert.deepEqual({ ...(got[0] as object) }, { id: 'o-2', amount: 7, currency: 'EUR' });
  });

  it('dead-letters garbage bytes and an unknown fingerprint with the reason in headers, then handles the next good message', async () => {
    const topic = uniqueName('t.dlt');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    const catalog = new SchemaCatalog();
    catalog.register(orderV1);
    const stranger = new SchemaCatalog();
    stranger.register({ type: 'record', name: 'Stranger', namespace: 'baton.test', fields: [{ name: 'x', type: 'int' }] });
    const handled: unknown[] = [];
    const groupRunner = await run(topic, (b) => catalog.decode(b).value, async (m) => { handled.push(m.value); });
    void groupRunner;
    await producer.send([
      { topic, key: 'case-3', value: Buffer.from('definitely not avro') },
      { topic, key: 'case-3', value: stranger.encode('baton.test.Stranger', { x: 1 }) },
      { topic, key: 'case-3', value: catalog.encode('baton.test.Order', { id: 'o-3', amount: 1 }) },
    ]);
    await eventually(() => handled.length === 1, 'the good message after two bad ones');
    const dead = await collect(kafka, `${topic}.dlt`, 2);
    const headers = dead.map((d) => headersToRecord(d.message.headers));
    for (const h of headers) {
      assert.equal(h[DeadLetterHeaders.originalTopic], topic);
      assert.equal(h[DeadLetterHeaders.originalPartition] !== undefined, true);
      assert.match(h[DeadLetterHeaders.originalOffset] ?? '', /^\d+$/);
      assert.match(h[DeadLetterHeaders.consumerGroup] ?? '', /^g-/);
      assert.match(h[DeadLetterHeaders.errorName] ?? '', /^DecodeError:AvroDecodeError$/);
    }
    const messages = headers.map((h) => h[DeadLetterHeaders.errorMessage]).sort();
    assert.match(messages[0] ?? '', /marker/);
    assert.match(messages[1] ?? '', /fingerprint/);
    assert.deepEqual(dead.map((d) => d.message.value?.toString('latin1')).sort()[0], 'definitely not avro');
  });

  it('retries a handler that fails with a retryable error and dead-letters one that refuses the message', async () => {
    const topic = uniqueName('t.retry');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    let flaky = 0;
    const done: string[] = [];
    await run(topic, (b) => b.toString('utf8'), async (m) => {
      if (m.value === 'flaky' && ++flaky < 3) throw new Error('database unavailable');
      if (m.value === 'poison') throw new UnprocessableMessageError('CaseNotFound', 'case case-9 does not exist');
      done.push(m.value);
    });
    await producer.send([
      { topic, key: 'a', value: Buffer.from('flaky') },
      { topic, key: 'b', value: Buffer.from('poison') },
      { topic, key: 'b', value: Buffer.from('after-poison') },
    ]);
    await eventually(() => done.length === 2, 'both good messages');
    assert.equal(flaky, 3, 'the flaky message was tried three times');
    assert.deepEqual([...done].sort(), ['after-poison', 'flaky']);
    const [dead] = await collect(kafka, `${topic}.dlt`, 1);
    const h = headersToRecord(dead!.message.headers);
    assert.equal(h[DeadLetterHeaders.errorName], 'CaseNotFound');
    assert.match(h[DeadLetterHeaders.errorMessage] ?? '', /case case-9 does not exist/);
  });

  it('dead-letters a message whose retries run out when a retry limit is set', async () => {
    const topic = uniqueName('t.exhaust');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    let calls = 0;
    await run(topic, (b) => b.toString('utf8'), async () => { calls++; throw new Error('still broken'); }, { maxAttempts: 3 });
    await producer.send([{ topic, key: 'k', value: Buffer.from('x') }]);
    const [dead] = await collect(kafka, `${topic}.dlt`, 1);
    assert.equal(calls, 3);
    assert.match(headersToRecord(dead!.message.headers)[DeadLetterHeaders.errorMessage] ?? '', /^retries-exhausted: still broken/);
  });
});
