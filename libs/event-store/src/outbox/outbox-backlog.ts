import type { Queryable } from '../internal/queryable';
import { int8 } from '../internal/int8';

/** How many outbox rows are not yet sent (claimed or not): the relay's lag, for a gauge. */
export async function outboxBacklog(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
  return int8(rows[0].n, 'outbox backlog');
}
