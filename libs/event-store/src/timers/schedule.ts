import type { Tx } from '../transaction/tx';
import { instant } from '../internal/instant';
import type { TimerInput } from './timer';

/**
 * Schedules timers inside `tx` (upsert by `timerId`: an existing timer with the same id is
 * replaced, its `created_at` kept). When `timers` repeats an id, the last one wins.
 */
export async function schedule(tx: Tx, timers: readonly TimerInput[]): Promise<void> {
  const byId = new Map(timers.map((t) => [t.timerId, t]));
  if (byId.size === 0) return;
  const list = [...byId.values()];
  await tx.query(
    `INSERT INTO timers (timer_id, stream_id, kind, due_at, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]::jsonb[])
     ON CONFLICT (timer_id) DO UPDATE
       SET stream_id = excluded.stream_id, kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload`,
    [
      list.map((t) => t.timerId),
      list.map((t) => t.streamId),
      list.map((t) => t.kind),
      list.map((t) => instant(t.dueAt, `timer ${t.timerId} dueAt`)),
      list.map((t) => JSON.stringify(t.payload ?? null)),
    ],
  );
}
