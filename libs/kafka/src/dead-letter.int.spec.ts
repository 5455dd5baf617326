import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collect, eventually, kafkaBrokers, uniqueName } from '@baton/testing';
import { Partitioners, type IHeaders } from 'kafkajs';
import { createKafka } from './client';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetterHeaders } from './headers';
import { MessageProducer } from './producer';
import { ensureTopics, topicSpecs } from './topics';

const plan = { defaultPartitions: 1, deadLetterPartitions: 1, stepTopicPartitions: 1, topics: {} };

/** The headers of a read message without the `baton-dlt-*` ones, values as hex, repeated ones as arrays. */
function originalHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (name.startsWith('baton-dlt-') || v === undefined) continue;
    out[name] = Array.isArray(v) ? v.map((x) => Buffer.from(x).toString('hex')) : Buffer.from(v).toString('hex');
  }
  return out;
}

describe('dead-letter copies against a real broker', () => {
  const kafka = createKafka({ clientId: 'dlt-int-test', brokers: kafkaBrokers() });
  const producer = new MessageProducer(kafka);
  const raw = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  let runner: ConsumerRunner<string> | undefined;

  before(async () => { await producer.connect(); await raw.connect(); });
  after(async () => { await runner?.stop(); await raw.disconnect(); await producer.disconnect(); });

  it('copies key, value, every header (repeated and binary ones) and tombstones byte for byte, adding only the reason headers', async () => {
    const topic = uniqueName('t.faithful');
    await ensureTopics(kafka, topicSpecs(plan, [topic]));
    const binaryKey = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const binaryHeader = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0xa0]);
    const sent = [
      { key: binaryKey, value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]), headers: { bin: binaryHeader, rep: [Buffer.from('one'), Buffer.from([0xff]), Buffer.from('three')] } },
      { key: Buffer.from('tombstone-key'), value: null, headers: { only: Buffer.from('x') } },
      { key: null, value: Buffer.from('no key, not avro'), headers: {} },
    ];
    await raw.send({ topic, messages: sent });
    runner = new ConsumerRunner<string>({
      kafka, groupId: uniqueName('g'), topics: [topic], fromBeginning: true, deadLetters: producer,
      decode: () => { throw new Error('not a record this topic carries'); },
      handle: async () => undefined,
      onCrash: (e) => { throw e; },
    });
    await runner.start();
    const dead = (await collect(kafka, `${topic}.dlt`, 3)).map((d) => d.message).sort((a, b) => Number(a.headers?.[DeadLetterHeaders.originalOffset]?.toString()) - Number(b.headers?.[DeadLetterHeaders.originalOffset]?.toString()));
    assert.equal(dead.length, 3);
    sent.forEach((s, i) => {
      const d = dead[i]!;
      assert.deepEqual(d.key === null ? null : d.key.toString('hex'), s.key === null ? null : s.key.toString('hex'), `key of message ${i}`);
      assert.deepEqual(d.value === null ? null : d.value.toString('hex'), s.value === null ? null : s.value.toString('hex'), `value of message ${i}`);
      assert.deepEqual(originalHeaders(d.headers), originalHeaders(s.headers), `headers of message ${i}`);
      assert.equal(d.headers?.[DeadLetterHeaders.originalTopic]?.toString(), topic);
      assert.equal(d.headers?.[DeadLetterHeaders.originalOffset]?.toString(), String(i));
      assert.match(d.headers?.[DeadLetterHeaders.errorMessage]?.toString() ?? '', /^decode: /);
      assert.equal(d.headers?.['baton-message-id'], undefined, 'no header is invented');
    });
    await eventually(() => runner!.stalls().length === 0, 'the partition free again');
  });
});
