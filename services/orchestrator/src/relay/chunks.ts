import type { OutboxMessage } from '@baton/event-store';

/** Bytes of values and headers per send, below the broker's default `message.max.bytes` (1 MiB) per partition batch. */
export const DEFAULT_MAX_SEND_BYTES = 768 * 1024;

/**
 * Splits claimed rows, in order, into sends of at most `maxBytes` (kafkajs puts a partition's
 * messages of one send into one record batch, which the broker refuses above `message.max.bytes`).
 * A single larger row travels alone.
 */
export function chunksOf<T extends OutboxMessage>(rows: T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = row.value.length + (row.key?.length ?? 0) + Object.entries(row.headers).reduce((n, [k, v]) => n + k.length + v.length, 0) + 64;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
