import type { EventStore } from '@baton/event-store';
import { Projector } from './projector/projector';
import { lockKey } from './projector/checkpoints';
import { DEFAULT_PROJECTOR_NAME, PROJECTION_TABLES } from './tables';

/** Options of {@link rebuildProjections}. */
export interface RebuildOptions {
  /** The projector's checkpoint name; default `projections`. */
  name?: string;
  /** Events per transaction while replaying; default 5 000 (fewer, larger statements: each case's summary is written once per page it appears in). */
  batchSize?: number;
  /** Give up replaying (with `ProjectionLagError`) after this long; default 60 000 ms. */
  timeoutMs?: number;
  /** Progress after each replayed batch: events replayed so far, and the events stored when the rebuild began. */
  onProgress?: (replayed: number, total: number) => void;
}

/**
 * Rebuilds the projections from scratch: in one transaction, empties the four tables and deletes
 * the checkpoint; then replays every event (a fresh {@link Projector}'s `catchUp`). The rows come
 * out equal to the live ones. A live projector of the same name may keep running: batches
 * serialise on the same advisory lock, and it notices the reset checkpoint and drops its cache.
 *
 * The tables are emptied with `DELETE` (the service role has no `TRUNCATE`); readers see them
 * fill again while the replay runs.
 *
 * @returns how many events were replayed.
 */
export async function rebuildProjections(store: EventStore, options: RebuildOptions = {}): Promise<number> {
  const name = options.name ?? DEFAULT_PROJECTOR_NAME;
  const { rows } = await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  const total = Number(rows[0]?.n ?? 0);
  await store.withTransaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey(name)]);
    for (const table of PROJECTION_TABLES) await tx.query(`DELETE FROM ${table}`);
    await tx.query('DELETE FROM checkpoints WHERE name = $1', [name]);
  });
  const projector = new Projector(store, { name, batchSize: options.batchSize ?? 5000 });
  return projector.catchUp({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onProgress ? { onProgress: (n: number) => options.onProgress!(n, Math.max(n, total)) } : {}),
  });
}
