import type { EventMetadata } from './event-metadata';
import { int8 } from '../internal/int8';

/** An event as stored, read back by `readStream` or `readAll`. */
export interface RecordedEvent {
  /** Position in the whole store (identity, 1-based). Increases with insert order, NOT commit order. */
  globalPosition: number;
  /** Position in its stream, 1-based and gapless. */
  streamPosition: number;
  /** The writing transaction's `xid8`, as a decimal string (64-bit, epoch-extended). */
  transactionId: string;
  streamId: string;
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** Hex writer-schema fingerprint, or `null`. */
  schemaFingerprint: string | null;
  /** When the writing transaction started (`now()`), from the server's clock. */
  recordedAt: Date;
}

/** @internal The columns every read selects, in this order. */
export const EVENT_COLUMNS =
  'global_position, stream_position, transaction_id::text AS transaction_id, stream_id, event_id, event_type, data, metadata, schema_fingerprint, recorded_at';

/** @internal A row of {@link EVENT_COLUMNS}. */
export interface EventRow {
  global_position: string;
  stream_position: number;
  transaction_id: string;
  stream_id: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: EventMetadata;
  schema_fingerprint: string | null;
  recorded_at: Date;
}

/** @internal */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    globalPosition: int8(row.global_position, 'global position'),
    streamPosition: row.stream_position,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    eventId: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    schemaFingerprint: row.schema_fingerprint,
    recordedAt: row.recorded_at,
  };
}
