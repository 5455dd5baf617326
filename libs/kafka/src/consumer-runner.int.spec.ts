import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaCatalog } from '@baton/avro';
import { collect, eventually, gate, kafkaBrokers, uniqueName } from '@baton/testing';
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

  async function run<T>(topic: string, decode: (b: Buffer) => T, handle: (m: ConsumedMessage<T>) => Promise<void>, extra: { maxAttempts?: number; maxRetryMs?: number; nonRetryable?: (e: Error) => boolean } = {}) {
    const runner = new ConsumerRunner<T>({
      kafka, groupId: uniqueName('g'), topics: [topic], decode, handle, deadLetters: producer, fromBeginning: true,
      retry: { initialMs: 20, maxMs: 100, ...(extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {}), ...(extra.maxRetryMs ? { maxRetryMs: extra.maxRetryMs } : {}) },
      ...(extra.nonRetryable ? { nonRetryable: extra.nonRetryable } : {}),
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

  it('bounds the retries of a message by time when no attempt limit is set, then handles the next one', async () => {
    const topic = uniqueName('t.bounded');
    await ensureTopics(kafka, topicSpecs({ ...plan, defaultPartitions: 1 }, [topic]));
    const done: string[] = [];
    let calls = 0;
    await run(topic, (b) => b.toString('utf8'), async (m) => {
      if (m.value === 'stuck') { calls++; throw new Error('invalid byte sequence'); }
      done.push(m.value);
    }, { maxRetryMs: 600 });
    await producer.send([{ topic, key: 'k', value: Buffer.from('stuck') }, { topic, key: 'k', value: Buffer.from('next') }]);
    const [dead] = await collect(kafka, `${topic}.dlt`, 1);
    const h = headersToRecord(dead!.message.headers);
    assert.match(h[DeadLetterHeaders.errorMessage] ?? '', /^retries-exhausted: invalid byte sequence \(gave up after \d+ attempts in \d+ ms\)/);
    assert.ok(calls > 1, `retried before giving up (${calls} calls)`);
    await eventually(() => done.includes('next'), 'the message behind it');
  });

  it('dead-letters at once an error the nonRetryable classifier accepts', async () => {
    const topic = uniqueName('t.nonretryable');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    let calls = 0;
    await run(topic, (b) => b.toString('utf8'), async () => {
      calls++;
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    }, { nonRetryable: (e) => (e as { code?: string }).code === '22021' });
    await producer.send([{ topic, key: 'k', value: Buffer.from('x') }]);
    const [dead] = await collect(kafka, `${topic}.dlt`, 1);
    assert.equal(calls, 1);
    assert.match(headersToRecord(dead!.message.headers)[DeadLetterHeaders.errorMessage] ?? '', /^unprocessable: invalid byte sequence/);
  });

  it('reports a partition whose message is held in handling as stalled, and clears it once handled', async () => {
    const topic = uniqueName('t.stall');
    await ensureTopics(kafka, topicSpecs({ ...plan, defaultPartitions: 1 }, [topic]));
    const hold = gate();
    let started = false;
    const runner = await run(topic, (b) => b.toString('utf8'), async () => { started = true; await hold.opened; });
    await producer.send([{ topic, key: 'k', value: Buffer.from('slow') }]);
    await eventually(() => started, 'the handler to start');
    await eventually(() => runner.isStalled(300), 'the stall to pass 300 ms');
    const [stall] = runner.stalls();
    assert.equal(stall?.topic, topic);
    assert.equal(stall?.partition, 0);
    assert.ok((stall?.seconds ?? 0) >= 0.3);
    hold.open();
    await eventually(() => runner.stalls().length === 0 && !runner.isStalled(300), 'the stall to clear');
  });
});
