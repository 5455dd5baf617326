import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders } from './headers';
import type { MessageProducer } from './producer';

/**
 * Why a message was dead-lettered: it could not be decoded, its handler refused it (or failed
 * with an error no retry can fix), or its retries ran out (count or time).
 */
export type DeadLetterReason = 'decode' | 'unprocessable' | 'retries-exhausted';

/** The dead-letter topic of a topic: `<topic>.dlt`. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlt`;
}

/**
 * Copies a message to `<topic>.dlt` exactly as it was read, so an operator who replays the
 * dead-letter topic gets the same messages: key and value byte for byte (a `null` key or a
 * tombstone's `null` value stays `null`), every original header with its binary value, repeated
 * headers with all their values in order. Added are the `baton-dlt-*` headers: original topic,
 * partition, offset, consumer group, error name and message (truncated to 1 000 characters),
 * and the time it failed (ISO-8601). No `baton-message-id` or trace header is added.
 *
 * (kafkajs hands headers over as an object of name -> value or values, so the relative order of
 * headers with *different* names is not kept; the values of one name are.)
 */
export async function deadLetter(
  producer: MessageProducer,
  failure: { topic: string; partition: number; message: KafkaMessage; groupId: string; reason: DeadLetterReason; error: Error },
): Promise<void> {
  const { topic, partition, message, groupId, reason, error } = failure;
  const headers: IHeaders = {
    ...(message.headers ?? {}),
    [DeadLetterHeaders.originalTopic]: topic,
    [DeadLetterHeaders.originalPartition]: String(partition),
    [DeadLetterHeaders.originalOffset]: message.offset,
    [DeadLetterHeaders.consumerGroup]: groupId,
    [DeadLetterHeaders.errorName]: reason === 'decode' ? `DecodeError:${error.name}` : error.name,
    [DeadLetterHeaders.errorMessage]: `${reason}: ${error.message}`.slice(0, 1000),
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  };
  await producer.sendVerbatim(deadLetterTopicOf(topic), [{ key: message.key, value: message.value, headers }]);
}
