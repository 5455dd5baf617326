import type { Checkpoint, EventStore } from '@baton/event-store';

/** True when both name the same place (or both are the beginning). @internal */
export function sameCheckpoint(a: Checkpoint | null | undefined, b: Checkpoint | null | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.transactionId === b.transactionId && a.globalPosition === b.globalPosition;
}

/** True when `at` is at or past `target` in commit order `(transaction_id, global_position)`. @internal */
export function reached(at: Checkpoint | null, target: Checkpoint): boolean {
  if (at === null) return false;
  const a = BigInt(at.transactionId);
  const t = BigInt(target.transactionId);
  return a > t || (a === t && at.globalPosition >= target.globalPosition);
}

/** The commit-order position of the last event committed so far, or `null` when the store is empty. @internal */
export async function lastCommitted(store: EventStore): Promise<Checkpoint | null> {
  // ORDER BY names the table's column (`e.`): a bare `transaction_id` would mean the text alias of
  // the select list and sort '99999' after '100000', so once the ids gain a digit the target would
  // be an old event and catchUp would stop before the newer ones.
  const { rows } = await store.pool.query<{ transaction_id: string; global_position: string }>(
    `SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events e
     ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, globalPosition: Number(row.global_position) } : null;
}

/** The advisory lock key that serialises every writer of one projector's tables and checkpoint. @internal */
export function lockKey(name: string): string {
  return `baton.projections:${name}`;
}
