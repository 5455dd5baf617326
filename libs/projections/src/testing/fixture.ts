import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { createEventStore, migrate, type EventStore } from '@baton/event-store';
import { Pool } from 'pg';
import { migrateProjections } from '../migrations/migrate-projections';

/**
 * A fresh database with the event store and the projection tables, a store on it and a plain
 * pool for queries. @internal Test helper; not exported from the lib.
 */
export interface ProjectionFixture {
  db: FreshDatabase;
  store: EventStore;
  pool: Pool;
  dispose(): Promise<void>;
}

/** @internal */
export async function projectionFixture(prefix: string): Promise<ProjectionFixture> {
  const db = await freshDatabase(prefix);
  await migrate(db.url);
  await migrateProjections(db.url);
  const store = await createEventStore(db.url, { poolSize: 8 });
  const pool = new Pool({ connectionString: db.url, max: 4 });
  return {
    db, store, pool,
    async dispose() {
      await pool.end();
      await store.close();
      await db.drop();
    },
  };
}

const ORDER: Record<string, string> = {
  case_summary: 'case_id',
  step_executions: 'case_id, step_id, attempt',
  human_tasks: 'task_id',
  timeline: 'case_id, stream_position',
};

/** Every row of the four tables, ordered by primary key. @internal */
export async function snapshot(pool: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(ORDER)) out[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY ${order}`)).rows;
  return out;
}
