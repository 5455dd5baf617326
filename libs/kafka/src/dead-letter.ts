import type { KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders, headersToRecord } from './headers';
import type { MessageProducer } from './producer';

/** Why a message was dead-lettered: it could not be decoded, its handler refused it, or retries ran out. */
export type DeadLetterReason = 'decode' | 'unprocessable' | 'retries-exhausted';

/** The dead-letter topic of a topic: `<topic>.dlt`. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlt`;
}

/**
 * Copies a message, bytes and key unchanged, to `<topic>.dlt` with its original headers plus
 * the `baton-dlt-*` headers: original topic, partition, offset, consumer group, error name and
 * message (truncated to 1 000 characters), and the time it failed (ISO-8601).
 */
export async function deadLetter(
  producer: MessageProducer,
  failure: { topic: string; partition: number; message: KafkaMessage; groupId: string; reason: DeadLetterReason; error: Error },
): Promise<void> {
  const { topic, partition, message, groupId, reason, error } = failure;
  const headers = {
    ...headersToRecord(message.headers),
    [DeadLetterHeaders.originalTopic]: topic,
    [DeadLetterHeaders.originalPartition]: String(partition),
    [DeadLetterHeaders.originalOffset]: message.offset,
    [DeadLetterHeaders.consumerGroup]: groupId,
    [DeadLetterHeaders.errorName]: reason === 'decode' ? `DecodeError:${error.name}` : error.name,
    [DeadLetterHeaders.errorMessage]: `${reason}: ${error.message}`.slice(0, 1000),
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  };
  await producer.send([{
    topic: deadLetterTopicOf(topic),
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ?? Buffer.alloc(0),
    headers,
  }]);
}
