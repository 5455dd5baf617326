/** A Kafka message to publish once the transaction that enqueued it commits. */
export interface OutboxMessage {
  topic: string;
  /** Kafka key (the case id); `null` for no key. Messages of one key are published in enqueue order. */
  key: string | null;
  /** The encoded value (Avro single-object encoding). */
  value: Buffer;
  /** Kafka headers (trace context, message id). */
  headers: Record<string, string>;
}

/** An outbox row claimed by a relay. */
export interface ClaimedOutboxMessage extends OutboxMessage {
  /** Row id: pass it to `markSent` once the broker has acknowledged the message. */
  id: number;
  createdAt: Date;
}
