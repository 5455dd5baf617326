import type { Queryable } from '../internal/queryable';
import type { Tx } from '../transaction/tx';
import { positiveInt } from '../internal/positive-int';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './recorded-event';

/** Options of {@link readStream}. */
export interface ReadStreamOptions {
  /** First stream position to return (1-based, inclusive); default 1. */
  fromPosition?: number;
  /** Most events to return; default all. */
  limit?: number;
  /** Read inside this transaction (sees its own uncommitted appends); default a pooled connection. */
  tx?: Tx;
}

/**
 * The events of one stream in stream-position order, from `fromPosition` on. Only committed
 * events are returned (plus `tx`'s own, when reading inside it). An unknown stream reads as `[]`.
 */
export async function readStream(db: Queryable, streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
  const from = positiveInt(options.fromPosition ?? 1, 'fromPosition');
  const limit = options.limit === undefined ? null : positiveInt(options.limit, 'limit');
  const { rows } = await (options.tx ?? db).query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream_id = $1 AND stream_position >= $2
     ORDER BY stream_position
     LIMIT $3`,
    [streamId, from, limit],
  );
  return rows.map(toRecordedEvent);
}
