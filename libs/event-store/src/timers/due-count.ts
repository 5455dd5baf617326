import type { Queryable } from '../internal/queryable';
import { instant } from '../internal/instant';
import { int8 } from '../internal/int8';

/** How many timers are due at `now` (a `Date` or epoch milliseconds) and not yet claimed by a committed transaction. */
export async function dueCount(db: Queryable, now: Date | number): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM timers WHERE due_at <= $1', [instant(now, 'now')]);
  return int8(rows[0].n, 'due timer count');
}
