import type { Tx } from '../transaction/tx';
import { instant } from '../internal/instant';
import { positiveInt } from '../internal/positive-int';
import type { DueTimer } from './timer';

// Lock due rows that no other transaction holds, and delete them in the same statement.
// The delete is part of `tx`: if `tx` rolls back (the effects of firing failed), the rows
// come back, due again; if it commits, the timer has fired exactly once with its effects.
//
// The locking SELECT is a MATERIALIZED CTE, evaluated exactly once, so the statement deletes
// at most `$2` rows whatever the plan. The earlier form, `DELETE ... WHERE timer_id IN (SELECT
// ... LIMIT $2 FOR UPDATE SKIP LOCKED)`, lets the planner run the subquery as the inner side of
// a join and rescan it: each rescan skips the rows this statement already deleted and locks the
// next due one, so one claim could delete several timers (seen: 2-3 for LIMIT 1) while its
// caller fired one, and the others were lost with their cases (issue 15).
const CLAIM_DUE_SQL = `
WITH due AS MATERIALIZED (
  SELECT timer_id FROM timers
  WHERE due_at <= $1
  ORDER BY due_at, timer_id
  LIMIT $2
  FOR UPDATE SKIP LOCKED)
DELETE FROM timers t USING due WHERE t.timer_id = due.timer_id
RETURNING t.timer_id, t.stream_id, t.kind, t.due_at, t.payload, t.created_at`;

/**
 * Claims up to `limit` timers due at `now` (earliest first), removing them inside `tx`.
 * Concurrent claimers never get the same timer (`FOR UPDATE SKIP LOCKED`). Every timer returned
 * is deleted once `tx` commits: the caller must fire **all** of them, with the effects of firing
 * written in the same `tx`.
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
