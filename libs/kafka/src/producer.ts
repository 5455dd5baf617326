import { randomUUID } from 'node:crypto';
import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { Headers } from './headers';
import { injectTraceHeaders } from './trace';

/** One message to send. The value is already encoded (Avro single-object encoding, see `@baton/avro`). */
export interface OutgoingMessage {
  topic: string;
  /** Partitioning key; the case id, so one case's messages keep their order. `null` spreads messages round-robin. */
  key: string | null;
  value: Buffer;
  /** Extra headers (UTF-8). `baton-message-id` is added when absent, `traceparent` from the active context. */
  headers?: Record<string, string>;
}

/**
 * An idempotent kafkajs producer (acks=all, one request in flight, as KIP-98 requires for
 * ordering under retries) that adds the project's headers to every message.
 */
export class MessageProducer {
  private readonly producer: Producer;
  private connected = false;

  /**
   * @param kafka - the client from `createKafka`
   * @param options.retries - kafkajs retries per send before it rejects (default 8; callers such as the outbox relay retry again later)
   */
  constructor(kafka: Kafka, options: { retries?: number } = {}) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner, so keys land where any other Kafka client puts them.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 100, retries: options.retries ?? 8, maxRetryTime: 5000 },
    });
  }

  /** Connects once; later calls return at once. */
  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  /**
   * Sends messages, grouped by topic in one request, and resolves when the broker acknowledged all.
   * @throws kafkajs errors (e.g. `KafkaJSNonRetriableError` for a topic that does not exist) after its retries.
   */
  async send(messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    await this.connect();
    const byTopic = new Map<string, { key: string | null; value: Buffer; headers: Record<string, string> }[]>();
    for (const m of messages) {
      const headers = withStandardHeaders(m.headers ?? {});
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: m.value, headers });
      byTopic.set(m.topic, list);
    }
    return this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
    });
  }

  /**
   * Sends messages to one topic exactly as given: keys, values and headers are bytes the caller
   * read elsewhere (a dead-letter copy), and no project header is added. A `null` value is a
   * tombstone; a header whose value is an array is written once per value, in order.
   * @throws kafkajs errors after its retries
   */
  async sendVerbatim(topic: string, messages: { key: Buffer | null; value: Buffer | null; headers: IHeaders }[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    await this.connect();
    return this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}

function withStandardHeaders(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (!out[Headers.messageId]) out[Headers.messageId] = randomUUID();
  if (!out[Headers.traceparent]) injectTraceHeaders(out);
  return out;
}
