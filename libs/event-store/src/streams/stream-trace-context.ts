import type { Queryable } from '../internal/queryable';

/**
 * The W3C trace context (`traceparent`, and `tracestate` when present) recorded in the metadata
 * of the latest event of `streamId` that has one, or `{}`: what lets work without a message of
 * its own (a timer firing) continue the stream's trace.
 * @param db - a pool or an open `Tx`
 */
export async function streamTraceContext(db: Queryable, streamId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ traceparent: string; tracestate: string | null }>(
    `SELECT metadata->>'traceparent' AS traceparent, metadata->>'tracestate' AS tracestate
       FROM events WHERE stream_id = $1 AND metadata ? 'traceparent'
      ORDER BY stream_position DESC LIMIT 1`,
    [streamId],
  );
  const row = rows[0];
  if (!row) return {};
  return { traceparent: row.traceparent, ...(row.tracestate ? { tracestate: row.tracestate } : {}) };
}
