import type { Queryable } from '../internal/queryable';
import { positiveInt } from '../internal/positive-int';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from '../streams/recorded-event';
import type { Checkpoint } from './checkpoint';

/** Options of {@link readAll}. */
export interface ReadAllOptions {
  /** Read after this checkpoint; `null` reads from the first event. */
  after: Checkpoint | null;
  /** Most events to return (>= 1). */
  limit: number;
}

/** A page of all events, and the checkpoint to store once they are handled. */
export interface ReadAllResult {
  events: RecordedEvent[];
  /** The last returned event's checkpoint, or `after` unchanged when none was returned. */
  checkpoint: Checkpoint | null;
}

// A global position is taken at INSERT but becomes visible at COMMIT, so a reader of
// `global_position > last` skips the event of a transaction that commits late. Instead:
// return only events of transactions older than every transaction still in progress
// (`pg_snapshot_xmin`: all of them have ended, so their events are all visible or were
// rolled back), in (xid, position) order. Emmett's PostgreSQL event store does the same.
// ORDER BY names the table's columns: EVENT_COLUMNS outputs `transaction_id::text AS
// transaction_id`, and a bare `ORDER BY transaction_id` would sort that text ('1000' < '999'),
// skipping events whenever the transaction ids gain a digit.
const READ_ALL_SQL = `
SELECT ${EVENT_COLUMNS} FROM events
WHERE (events.transaction_id, events.global_position) > ($1::xid8, $2::bigint)
  AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.transaction_id, events.global_position
LIMIT $3`;

/**
 * Reads events of every stream after `after`, ordered by `(transaction_id, global_position)`,
 * never skipping an event whose transaction commits late.
 *
 * The order is that of the transactions' ids, taken at their first write, not of their commits:
 * when two transactions overlap, the one that wrote first is read first even if it committed
 * later. So one stream's events can come out of stream order (a handler that took its xid at the
 * inbox insert, then appended after another writer's commit, is read before that writer's
 * events). A reader that needs stream order reorders by `streamPosition`, as the projector does.
 *
 * The price: an event becomes readable only once every transaction that started (took an
 * xid) before its own has ended, in any database of the server. A long-running writing
 * transaction anywhere on the server holds readers back (it does not make them skip).
 *
 * Run it outside a writing transaction (the default pooled connection does): a reader
 * holding an xid would hold itself back.
 */
export async function readAll(db: Queryable, options: ReadAllOptions): Promise<ReadAllResult> {
  const limit = positiveInt(options.limit, 'limit');
  const after = options.after;
  const { rows } = await db.query<EventRow>(READ_ALL_SQL, [after?.transactionId ?? '0', after?.globalPosition ?? 0, limit]);
  const events = rows.map(toRecordedEvent);
  const last = events[events.length - 1];
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
  };
}
