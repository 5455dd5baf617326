import type { EventStore } from '@baton/event-store';
import { Projector } from './projector/projector';
import { bulkRebuild } from './projector/bulk-rebuild';
import { lockKey } from './projector/checkpoints';
import { DEFAULT_PROJECTOR_NAME, PROJECTION_TABLES } from './tables';

/** Options of {@link rebuildProjections}. */
export interface RebuildOptions {
  /** The projector's checkpoint name; default `projections`. */
  name?: string;
  /** Events per read page; default 20 000 (the rows are written once per table, in chunks of 5 000, whatever the page size). */
  batchSize?: number;
  /** Give up catching up with the events committed during the rebuild (with `ProjectionLagError`) after this long; default 60 000 ms. */
  timeoutMs?: number;
  /** Progress after each page: events replayed so far, and the events stored when the rebuild began. */
  onProgress?: (replayed: number, total: number) => void;
}

/**
 * Rebuilds the projections from scratch, in ONE transaction that holds the projector's advisory
 * lock throughout (a live projector of the same name waits instead of taking pages in between,
 * then notices the new checkpoint and drops its cache): empties the four tables and deletes the
 * checkpoint, reads every event in commit order in large pages, folds every case in memory, writes
 * each table once with multi-row INSERTs, stores the checkpoint (`bulkRebuild`). Readers see the
 * old rows until it commits, then the new ones. Then a fresh {@link Projector}'s `catchUp` applies
 * what was committed meanwhile. The rows come out equal to the live ones.
 *
 * Memory: every case's fold and every step execution and human task row of the store are held
 * until the end (the timeline is written page by page).
 * The tables are emptied with `DELETE` (the service role has no `TRUNCATE`).
 *
 * @returns how many events were replayed.
 * @throws ProjectionLagError when catching up after the bulk phase takes longer than `timeoutMs`
 */
export async function rebuildProjections(store: EventStore, options: RebuildOptions = {}): Promise<number> {
  const name = options.name ?? DEFAULT_PROJECTOR_NAME;
  const pageSize = options.batchSize ?? 20_000;
  const { rows } = await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  const total = Number(rows[0]?.n ?? 0);
  const progress = (n: number) => options.onProgress?.(n, Math.max(n, total));
  const bulk = await store.withTransaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey(name)]);
    for (const table of PROJECTION_TABLES) await tx.query(`DELETE FROM ${table}`);
    await tx.query('DELETE FROM checkpoints WHERE name = $1', [name]);
    return bulkRebuild(tx, store, name, pageSize, progress);
  });
  const projector = new Projector(store, { name, batchSize: Math.min(pageSize, 5000) });
  const rest = await projector.catchUp({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    onProgress: (n: number) => progress(bulk + n),
  });
  return bulk + rest;
}
