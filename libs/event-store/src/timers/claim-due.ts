import type { Tx } from '../transaction/tx';
import { instant } from '../internal/instant';
import { positiveInt } from '../internal/positive-int';
import type { DueTimer } from './timer';

// Lock due rows that no other transaction holds, and delete them in the same statement.
// The delete is part of `tx`: if `tx` rolls back (the effects of firing failed), the rows
// come back, due again; if it commits, the timer has fired exactly once with its effects.
const CLAIM_DUE_SQL = `
DELETE FROM timers WHERE timer_id IN (
  SELECT timer_id FROM timers
  WHERE due_at <= $1
  ORDER BY due_at, timer_id
  LIMIT $2
  FOR UPDATE SKIP LOCKED)
RETURNING timer_id, stream_id, kind, due_at, payload, created_at`;

/**
 * Claims up to `limit` timers due at `now` (earliest first), removing them inside `tx`.
 * Concurrent claimers never get the same timer (`FOR UPDATE SKIP LOCKED`). Write the
 * effects of firing in the same `tx`.
 *
 * @param now - the caller's clock (a `Date` or epoch milliseconds), so tests can move time.
 */
export async function claimDue(tx: Tx, now: Date | number, limit: number): Promise<DueTimer[]> {
  const { rows } = await tx.query<{
    timer_id: string;
    stream_id: string;
    kind: string;
    due_at: Date;
    payload: unknown;
    created_at: Date;
  }>(CLAIM_DUE_SQL, [instant(now, 'now'), positiveInt(limit, 'limit')]);
  return rows
    .map((r) => ({ timerId: r.timer_id, streamId: r.stream_id, kind: r.kind, dueAt: r.due_at, payload: r.payload, createdAt: r.created_at }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.timerId < b.timerId ? -1 : a.timerId > b.timerId ? 1 : 0));
}
