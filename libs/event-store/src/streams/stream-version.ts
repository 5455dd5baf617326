import type { Queryable } from '../internal/queryable';

/** @internal The stream's last position, 0 when it has no event. */
export const STREAM_VERSION_SQL =
  'SELECT coalesce(max(stream_position), 0) AS version FROM events WHERE stream_id = $1';

/**
 * The version of `streamId`: its last stream position, `0` when it has no event.
 * One backward step on the `(stream_id, stream_position)` unique index.
 */
export async function streamVersion(db: Queryable, streamId: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
  return rows[0].version;
}
