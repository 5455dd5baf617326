import type { Tx } from '../transaction/tx';

/**
 * The batch form of `markProcessed`: records in one statement that `consumer` handled each of
 * `messageIds`, in the transaction that writes their effects.
 *
 * @param messageIds - stable message ids; an id given twice counts as new once (its first place)
 * @returns the ids that were new (not recorded before); the others are redeliveries
 */
export async function markProcessedMany(tx: Tx, messageIds: readonly string[], consumer: string): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const { rows } = await tx.query<{ message_id: string }>(
    `INSERT INTO inbox (consumer, message_id, processed_at)
     SELECT $1, id, now() FROM unnest($2::text[]) AS id
     ON CONFLICT (consumer, message_id) DO NOTHING
     RETURNING message_id`,
    [consumer, [...new Set(messageIds)]],
  );
  return new Set(rows.map((r) => r.message_id));
}

/**
 * Takes back marks of `messageIds` made in `tx` (messages the caller decided to handle later, on
 * their own): their redelivery or later handling then counts as new.
 */
export async function unmarkProcessed(tx: Tx, messageIds: readonly string[], consumer: string): Promise<void> {
  if (messageIds.length === 0) return;
  await tx.query('DELETE FROM inbox WHERE consumer = $1 AND message_id = ANY($2::text[])', [consumer, [...messageIds]]);
}
