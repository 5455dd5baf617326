import type { Queryable } from '../internal/queryable';
import { int8 } from '../internal/int8';
import type { Checkpoint } from '../all/checkpoint';

/** The checkpoint stored under `name` (a projection's name), or `null` if none is. */
export async function loadCheckpoint(db: Queryable, name: string): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ transaction_id: string; global_position: string }>(
    'SELECT transaction_id::text AS transaction_id, global_position FROM checkpoints WHERE name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, globalPosition: int8(row.global_position, 'global position') } : null;
}

/**
 * Stores `checkpoint` under `name`, replacing the previous one (it may go back: a rebuild
 * starts again from the beginning). Pass the `tx` that wrote the projection's rows, so that
 * rows and checkpoint commit together and a restart neither loses nor repeats an event.
 */
export async function storeCheckpoint(db: Queryable, name: string, checkpoint: Checkpoint): Promise<void> {
  await db.query(
    `INSERT INTO checkpoints (name, transaction_id, global_position, updated_at)
     VALUES ($1, $2::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE
       SET transaction_id = excluded.transaction_id, global_position = excluded.global_position, updated_at = excluded.updated_at`,
    [name, checkpoint.transactionId, checkpoint.globalPosition],
  );
}
