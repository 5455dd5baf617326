import type { Queryable } from '../internal/queryable';
import { instant } from '../internal/instant';
import { int8 } from '../internal/int8';

/** How many timers are due at `now` (a `Date` or epoch milliseconds) and not yet claimed by a committed transaction. */
export async function dueCount(db: Queryable, now: Date | number): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM timers WHERE due_at <= $1', [instant(now, 'now')]);
  return int8(rows[0].n, 'due timer count');
}

/**
 * How long the oldest due timer has been due at `now`, seconds (0 when none is due): the timer
 * loop's lag, for a gauge. A due timer older than a few poll intervals means the loop is behind or
 * a timer keeps failing (it is postponed after three failures).
 */
export async function oldestDueSeconds(db: Queryable, now: Date | number): Promise<number> {
  const at = instant(now, 'now');
  const { rows } = await db.query<{ s: number | null }>('SELECT EXTRACT(EPOCH FROM $1::timestamptz - min(due_at))::float8 AS s FROM timers WHERE due_at <= $1', [at]);
  return Math.max(0, rows[0]?.s ?? 0);
}
