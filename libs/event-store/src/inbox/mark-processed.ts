import type { Tx } from '../transaction/tx';

/**
 * Records that `consumer` has handled `messageId`, in the transaction that writes the
 * message's effects. Returns `false` when the pair is already recorded: the message is a
 * redelivery and the caller changes nothing (exactly-once effect over at-least-once delivery).
 *
 * When two transactions mark the same pair at once, the second waits for the first: it gets
 * `false` if the first commits, `true` if the first rolls back.
 *
 * @param messageId - a stable id of the message (its own id header, or `topic/partition/offset`).
 * @param consumer - who handled it (e.g. `orchestrator`), so consumers sharing a database
 *   keep separate records.
 */
export async function markProcessed(tx: Tx, messageId: string, consumer: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO inbox (consumer, message_id, processed_at) VALUES ($1, $2, now())
     ON CONFLICT (consumer, message_id) DO NOTHING`,
    [consumer, messageId],
  );
  return rowCount === 1;
}
