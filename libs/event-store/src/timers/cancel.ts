import type { Tx } from '../transaction/tx';

/**
 * Cancels timers inside `tx`. Unknown ids (never scheduled, or already fired) are ignored.
 * @returns how many timers were cancelled.
 */
export async function cancel(tx: Tx, timerIds: readonly string[]): Promise<number> {
  if (timerIds.length === 0) return 0;
  const { rowCount } = await tx.query('DELETE FROM timers WHERE timer_id = ANY($1::text[])', [timerIds]);
  return rowCount ?? 0;
}
