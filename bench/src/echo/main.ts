import { Partitioners } from 'kafkajs';
import { createKafka } from '@baton/kafka';
import { log } from '@baton/observability';

/*
 * The baseline's responder, a child process of the benchmark (as the step worker is for Baton):
 * plain kafkajs, no Baton code on the message path. It consumes BENCH_PING_TOPIC in its own group
 * and answers every message on BENCH_PONG_TOPIC with the same key and value: one produce request
 * (acks=all, like every Baton producer) per fetched batch, then the batch's offsets are committed.
 */

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the benchmark passes the baseline's topics and group`);
  return v;
}

async function main(): Promise<void> {
  const ping = required('BENCH_PING_TOPIC');
  const pong = required('BENCH_PONG_TOPIC');
  const kafka = createKafka({ clientId: 'bench-echo' });
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: required('BENCH_ECHO_GROUP'), allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [ping], fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => log('info', 'bench-echo', 'ready'));
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (batch.messages.length === 0) return;
      await producer.send({ topic: pong, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  process.once('SIGTERM', () => {
    void Promise.allSettled([consumer.disconnect(), producer.disconnect()]).finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  log('fatal', 'bench-echo', `failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
