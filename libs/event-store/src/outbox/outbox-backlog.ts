import type { Queryable } from '../internal/queryable';
import { int8 } from '../internal/int8';

/** How many outbox rows are not yet sent (claimed or not): the relay's lag, for a gauge. */
export async function outboxBacklog(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
  return int8(rows[0].n, 'outbox backlog');
}

/**
 * Age of the oldest outbox row not yet sent, seconds (0 when every row is sent): how far behind
 * the relay is in time, for a gauge. A rising age with a flat backlog means one key's row is stuck.
 */
export async function outboxOldestUnsentSeconds(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ s: number | null }>('SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS s FROM outbox WHERE sent_at IS NULL');
  return Math.max(0, rows[0]?.s ?? 0);
}
