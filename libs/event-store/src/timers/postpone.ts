import type { Tx } from '../transaction/tx';
import { instant } from '../internal/instant';

/**
 * Moves an existing timer to `dueAt` (a `Date` or epoch ms) inside `tx`. Unlike `schedule`, a
 * timer that is gone (fired or cancelled meanwhile) is not brought back.
 * @returns whether the timer existed.
 */
export async function postpone(tx: Tx, timerId: string, dueAt: Date | number): Promise<boolean> {
  const { rowCount } = await tx.query('UPDATE timers SET due_at = $2 WHERE timer_id = $1', [timerId, instant(dueAt, 'dueAt')]);
  return (rowCount ?? 0) > 0;
}
