import type { Pool } from 'pg';
import { DEFAULT_PROJECTOR_NAME } from '../tables';

/** How far a projector is behind the event store. */
export interface ProjectionLag {
  /** Committed events after the projector's checkpoint (counted up to 1 000 000). */
  events: number;
  /** Age of the oldest of them (`recorded_at` to now), seconds; 0 when none is behind. */
  seconds: number;
}

/**
 * The lag of projector `name` (default `projections`): the events committed after its stored
 * checkpoint, in the order it reads them (`(transaction_id, global_position)`, only transactions
 * below the snapshot's xmin, as the projector reads), and how old the oldest one is. With no
 * checkpoint every event is behind. One indexed range scan; for a gauge read at scrape time.
 */
export async function projectionLag(pool: Pick<Pool, 'query'>, name: string = DEFAULT_PROJECTOR_NAME): Promise<ProjectionLag> {
  const { rows } = await pool.query<{ n: string; s: number | null }>(
    `WITH cp AS (SELECT transaction_id, global_position FROM checkpoints WHERE name = $1),
          behind AS (
            SELECT e.recorded_at FROM events e LEFT JOIN cp ON true
             WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
               AND (cp.transaction_id IS NULL OR (e.transaction_id, e.global_position) > (cp.transaction_id, cp.global_position))
             LIMIT 1000000)
     SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(recorded_at))::float8 AS s FROM behind`,
    [name],
  );
  return { events: Number(rows[0]?.n ?? 0), seconds: Math.max(0, rows[0]?.s ?? 0) };
}
