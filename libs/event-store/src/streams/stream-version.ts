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

/**
 * The versions of several streams in one statement (`0` for a stream with no event).
 * @returns stream id → its last stream position
 */
export async function streamVersions(db: Queryable, streamIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map(streamIds.map((id) => [id, 0]));
  if (streamIds.length === 0) return out;
  const { rows } = await db.query<{ stream_id: string; version: number }>(
    `SELECT s.stream_id, (SELECT coalesce(max(stream_position), 0) FROM events e WHERE e.stream_id = s.stream_id) AS version
     FROM unnest($1::text[]) AS s(stream_id)`,
    [[...new Set(streamIds)]],
  );
  for (const r of rows) out.set(r.stream_id, r.version);
  return out;
}
