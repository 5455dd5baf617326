import type { Tx } from '../transaction/tx';
import { int8 } from '../internal/int8';
import { positiveInt } from '../internal/positive-int';
import type { OutboxMessage } from './outbox-message';

/** One row of {@link enqueueLeased}, in the order of its messages. */
export interface EnqueuedRow {
  /** Outbox row id (pass it to `markSent` after the broker acknowledged the message). */
  id: number;
  /**
   * True when the row was written already claimed by its writer (for `leaseMs`): no unsent row of
   * its key existed when it was written, so the writer may publish it right after COMMIT. False:
   * an older unsent row of its key exists (left by another process, or not yet acknowledged), and
   * the row waits for the claim, which keeps the key's order.
   */
  leased: boolean;
}

// One statement. `behind` lists the keys of the new rows that still have an unsent row: the
// subquery reads the statement's snapshot, which does not hold the rows this statement inserts,
// and sees every committed row of those keys (a key is a case id, and a concurrent writer of the
// same case collides with this transaction's append before it gets here). A row of such a key is
// inserted unclaimed; every other row is inserted with a lease from `clock_timestamp()` (not
// `now()`, the transaction's start), which keeps every relay's claim off it until it lapses.
const ENQUEUE_LEASED_SQL = `
WITH m AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[]) WITH ORDINALITY AS m(topic, message_key, value, headers, ord)
), behind AS (
  SELECT k.message_key FROM (SELECT DISTINCT message_key FROM m WHERE message_key IS NOT NULL) k
  WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.message_key = k.message_key AND o.sent_at IS NULL)
)
INSERT INTO outbox (topic, message_key, value, headers, claimed_until)
SELECT m.topic, m.message_key, m.value, m.headers::jsonb,
       CASE WHEN b.message_key IS NULL THEN clock_timestamp() + $5 * interval '1 millisecond' END
FROM m LEFT JOIN behind b ON b.message_key = m.message_key
ORDER BY m.ord
RETURNING id, claimed_until IS NOT NULL AS leased`;

/**
 * Adds messages to the outbox inside `tx`, like `enqueue`, and claims for the caller, for
 * `leaseMs`, every row whose key has no older unsent row (the direct hand-off: the caller
 * publishes those rows itself once `tx` commits, then `markSent`s them; the relays' claim leaves
 * them alone until the lease lapses, so a caller that dies first loses nothing). The other rows
 * are left to the claim, which publishes a key's rows in order.
 *
 * Publish a leased row only before `leaseEnds` = (the time just before this call) + `leaseMs`,
 * minus a margin: after it a relay may claim it and the key's later rows.
 * @param leaseMs - how long the hand-off holds its rows, ms (a positive integer)
 * @returns one row per message, in the order of `messages`
 * @throws TypeError when `leaseMs` is not a positive integer
 */
export async function enqueueLeased(tx: Tx, messages: readonly OutboxMessage[], leaseMs: number): Promise<EnqueuedRow[]> {
  if (messages.length === 0) return [];
  const { rows } = await tx.query<{ id: string; leased: boolean }>(ENQUEUE_LEASED_SQL, [
    messages.map((m) => m.topic),
    messages.map((m) => m.key),
    messages.map((m) => m.value),
    messages.map((m) => JSON.stringify(m.headers ?? {})),
    positiveInt(leaseMs, 'leaseMs'),
  ]);
  // Ids are drawn in `ord` order (the INSERT's ORDER BY), so sorted ids follow the messages.
  return rows.map((r) => ({ id: int8(r.id, 'outbox id'), leased: r.leased })).sort((a, b) => a.id - b.id);
}
