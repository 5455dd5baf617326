import type { Queryable } from '../internal/queryable';
import type { DueTimer } from './timer';

/**
 * The timers pending for the given streams (scheduled, not yet fired or cancelled), by due time.
 * In a transaction, they are those of its snapshot.
 */
export async function timersOf(db: Queryable, streamIds: readonly string[]): Promise<DueTimer[]> {
  if (streamIds.length === 0) return [];
  const { rows } = await db.query<{ timer_id: string; stream_id: string; kind: string; due_at: Date; payload: unknown; created_at: Date }>(
    'SELECT timer_id, stream_id, kind, due_at, payload, created_at FROM timers WHERE stream_id = ANY($1::text[]) ORDER BY due_at, timer_id',
    [streamIds],
  );
  return rows.map((r) => ({ timerId: r.timer_id, streamId: r.stream_id, kind: r.kind, dueAt: r.due_at, payload: r.payload, createdAt: r.created_at }));
}
