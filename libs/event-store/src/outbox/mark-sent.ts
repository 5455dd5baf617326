import type { Queryable } from '../internal/queryable';

/**
 * Marks claimed rows as published (`sent_at = now()`), ending their claim. Rows already
 * marked are left alone.
 * @returns how many rows this call marked.
 */
export async function markSent(db: Queryable, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    'UPDATE outbox SET sent_at = now(), claimed_until = NULL WHERE id = ANY($1::bigint[]) AND sent_at IS NULL',
    [ids],
  );
  return rowCount ?? 0;
}
