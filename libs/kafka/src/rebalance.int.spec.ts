import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { ConsumerRunner } from './consumer-runner';
import { MessageProducer } from './producer';
import { ensureTopics } from './topics';

describe('a consumer group that rebalances', () => {
  const kafka = createKafka({ clientId: 'rebalance-test', brokers: kafkaBrokers() });
  const producer = new MessageProducer(kafka);
  const runners: ConsumerRunner<string>[] = [];
  after(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await producer.disconnect();
  });

  it('hands partitions to a member that joins while another is busy, without looping on the busy one', async () => {
    const topic = uniqueName('t.rebalance');
    const groupId = uniqueName('g');
    await ensureTopics(kafka, [{ topic, partitions: 2 }, { topic: `${topic}.dlt`, partitions: 1 }]);
    const calls = new Map<string, number>();
    const handledBy = new Map<string, string>();
    const runner = (name: string) => new ConsumerRunner<string>({
      kafka, groupId, topics: [topic], fromBeginning: true, deadLetters: producer, sessionTimeoutMs: 10000, concurrency: 1,
      decode: (b) => b.toString('utf8'),
      handle: async (m) => {
        calls.set(m.value, (calls.get(m.value) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 500));
        handledBy.set(m.value, name);
      },
      onCrash: (e) => { throw e; },
    });
    const a = runner('a');
    runners.push(a);
    await a.start();
    // Enough work that the first member is still busy (about 10 s a partition) when the second joins.
    await producer.send(Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from(`m${i}`) })));
    await eventually(() => calls.size > 0, 'the first member to start handling');
    const b = runner('b');
    runners.push(b);
    await b.start();
    await eventually(() => handledBy.size === 40, 'every message to be handled', 90000);
    assert.ok([...handledBy.values()].includes('b'), 'the member that joined got a partition');
    const most = Math.max(...calls.values());
    assert.ok(most <= 2, `a message was handled at most twice (once more after the rebalance), not ${most} times`);
  });
});
