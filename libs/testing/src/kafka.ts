import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './env';

/** A raw message collected by {@link collect}. */
export interface Collected { topic: string; partition: number; message: KafkaMessage }

/**
 * Reads `topic` from the beginning with a throwaway group until `count` messages arrived.
 * @throws Error after `timeoutMs` (default 20 000) naming how many of `count` arrived.
 */
export async function collect(kafka: Kafka, topic: string, count: number, timeoutMs = 20000): Promise<Collected[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('collect'), maxWaitTimeInMs: 100 });
  const got: Collected[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`collect ${topic}: ${got.length} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic: t, partition, message }) => {
          got.push({ topic: t, partition, message });
          if (got.length >= count) { clearTimeout(timer); resolve(); }
        },
      });
    });
    return got;
  } finally {
    await consumer.disconnect();
  }
}

/** Resolves when `predicate` holds, polling every 50 ms; rejects after `timeoutMs` with `what`. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
