import type { Queryable } from '../internal/queryable';
import { int8 } from '../internal/int8';
import { positiveInt } from '../internal/positive-int';
import type { ClaimedOutboxMessage } from './outbox-message';

/** Options of {@link claimUnsent}. */
export interface ClaimOptions {
  /** How long the claim holds, in milliseconds (default 30 000). Publish and `markSent` within it. */
  leaseMs?: number;
}

// One autocommit statement. `FOR UPDATE SKIP LOCKED` keeps two concurrent claimers off the
// same rows; the lease (`claimed_until`) keeps them off after this statement commits, until
// `markSent` or the lease's end (a relay that dies mid-publish: its rows are claimed again,
// hence at-least-once). A row is taken only if every earlier unsent row of its key is taken
// with it, so one relay owns the head of each key and a key's messages go out in order:
// `first_other` is, per key of the candidates, its first unsent row outside them, looked up once
// per key through (message_key, id) (an `id < c.id` probe per candidate let the planner walk
// the whole unsent backlog by id for each one: 66 ms a claim at a 6,000-row backlog in the
// benchmark, the heaviest statement of the run).
const CLAIM_SQL = `
WITH candidate AS (
  SELECT id, message_key FROM outbox
  WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= now())
  ORDER BY id
  LIMIT $1
  FOR UPDATE SKIP LOCKED
), first_other AS (
  SELECT k.message_key, (
    SELECT o.id FROM outbox o
    WHERE o.message_key = k.message_key AND o.sent_at IS NULL AND o.id NOT IN (SELECT id FROM candidate)
    ORDER BY o.message_key, o.id
    LIMIT 1) AS id
  FROM (SELECT DISTINCT message_key FROM candidate WHERE message_key IS NOT NULL) k
), claimable AS (
  SELECT c.id FROM candidate c LEFT JOIN first_other f ON f.message_key = c.message_key
  WHERE f.id IS NULL OR f.id > c.id
)
UPDATE outbox SET claimed_until = now() + $2 * interval '1 millisecond'
FROM claimable WHERE outbox.id = claimable.id
RETURNING outbox.id, outbox.topic, outbox.message_key, outbox.value, outbox.headers, outbox.created_at`;

/**
 * Claims up to `limit` unsent outbox rows for one relay, oldest first.
 *
 * A relay's loop: `claimUnsent` → publish the rows in the returned (id) order, waiting for
 * the broker's acknowledgement → `markSent(ids)`. Guarantees:
 * - two relays never hold the same row at once (row locks, then the lease);
 * - at-least-once: a row is sent again only if its relay did not mark it sent within the lease;
 * - per-key order: a row is never claimed while an earlier unsent row of its key is held by
 *   another claim, so publish in the returned order and stop a key at its first failure.
 *
 * May return fewer rows than `limit` (rows behind another relay's claim of their key wait).
 */
export async function claimUnsent(db: Queryable, limit: number, options: ClaimOptions = {}): Promise<ClaimedOutboxMessage[]> {
  const leaseMs = positiveInt(options.leaseMs ?? 30_000, 'leaseMs');
  const { rows } = await db.query<{
    id: string;
    topic: string;
    message_key: string | null;
    value: Buffer;
    headers: Record<string, string>;
    created_at: Date;
  }>(CLAIM_SQL, [positiveInt(limit, 'limit'), leaseMs]);
  return rows
    .map((r) => ({ id: int8(r.id, 'outbox id'), topic: r.topic, key: r.message_key, value: r.value, headers: r.headers, createdAt: r.created_at }))
    .sort((a, b) => a.id - b.id);
}
