import type { EventMetadata } from './event-metadata';

/** An event to append. `data` and `metadata` are stored as jsonb via `JSON.stringify`. */
export interface NewEvent {
  /** UUID, unique in the whole store; a random v4 when left out. */
  eventId?: string;
  /** The event type name: a storage contract, kept apart from class names (Marten). */
  type: string;
  /** JSON-serializable payload (no `undefined`, no `bigint`). */
  data: unknown;
  /** Correlation, causation and free keys; `{}` when left out. */
  metadata?: EventMetadata;
  /** Hex CRC-64-AVRO fingerprint of the Avro writer schema of `data`, if it has one. */
  schemaFingerprint?: string | null;
}
