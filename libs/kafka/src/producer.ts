import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { Headers } from './headers';
import { endWhenSent, startSendSpan } from './trace';

/** One message to send. The value is already encoded (Avro single-object encoding, see `@baton/avro`). */
export interface OutgoingMessage {
  topic: string;
  /** Partitioning key; the case id, so one case's messages keep their order. `null` spreads messages round-robin. */
  key: string | null;
  value: Buffer;
  /** Extra headers (UTF-8). `baton-message-id` is added when absent; `traceparent` becomes the message's `send <topic>` span (child of the `traceparent` given here, else of the active context). */
  headers?: Record<string, string>;
}

/** Bytes of values, keys and headers coalesced into one produce request at most (below the broker's 1 MiB `message.max.bytes`). */
const MAX_COALESCED_BYTES = 768 * 1024;

interface Pending {
  messages: OutgoingMessage[];
  bytes: number;
  resolve: (m: RecordMetadata[]) => void;
  reject: (e: unknown) => void;
}

/**
 * An idempotent kafkajs producer (acks=all, one request in flight, as KIP-98 requires for
 * ordering under retries) that adds the project's headers to every message.
 *
 * Sends coalesce: while a request is in flight, later `send` calls wait and then go out together
 * in the next request (up to 768 KiB), the way Kafka's own clients batch with `linger.ms`, but
 * with no added wait when the producer is idle. Each call resolves when the request carrying its
 * messages is acknowledged, or rejects with that request's error; calls keep their order.
 */
export class MessageProducer {
  private readonly producer: Producer;
  private connected = false;
  private readonly pending: Pending[] = [];
  private draining = false;
  /** Produce requests sent since start (`send` calls coalesce, so usually fewer than calls). */
  requests = 0;

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
   * Each message gets a `send <topic>` PRODUCER span, ended when the broker answered.
   * @throws kafkajs errors (e.g. `KafkaJSNonRetriableError` for a topic that does not exist) after its retries.
   */
  async send(messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    await this.connect();
    const spans: Span[] = [];
    const traced: OutgoingMessage[] = [];
    for (const m of messages) {
      const { span, headers } = startSendSpan(m.topic, m.key, m.headers ?? {});
      spans.push(span);
      traced.push({ ...m, headers });
    }
    messages = traced;
    const bytes = messages.reduce((n, m) => n + m.value.length + (m.key?.length ?? 0) + Object.entries(m.headers ?? {}).reduce((h, [k, v]) => h + k.length + v.length, 0) + 64, 0);
    const done = new Promise<RecordMetadata[]>((resolve, reject) => this.pending.push({ messages, bytes, resolve, reject }));
    if (!this.draining) void this.drain();
    return endWhenSent(spans, done);
  }

  /** Sends what is pending, one request at a time, each taking every waiting call that fits. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        let size = 0;
        let n = 0;
        while (n < this.pending.length && (n === 0 || size + this.pending[n]!.bytes <= MAX_COALESCED_BYTES)) size += this.pending[n++]!.bytes;
        const group = this.pending.splice(0, n);
        try {
          const meta = await this.sendNow(group.flatMap((g) => g.messages));
          for (const g of group) g.resolve(meta);
        } catch (error) {
          if (group.length === 1) { group[0]!.reject(error); continue; }
          // One caller's bad message (a topic that does not exist) must not fail the others: each alone.
          for (const g of group) await this.sendNow(g.messages).then(g.resolve, g.reject);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private sendNow(messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    this.requests++;
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
  return out;
}
