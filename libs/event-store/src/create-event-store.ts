import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { EventStore } from './event-store';

/** Options of {@link createEventStore}. */
export interface CreateEventStoreOptions {
  /** Most connections in the pool; default 10. */
  poolSize?: number;
  /** `application_name` shown in `pg_stat_activity`; default `baton-event-store`. */
  applicationName?: string;
}

/**
 * Connects to a migrated database through a TypeORM `DataSource` (pg driver) and returns
 * an {@link EventStore} over the DataSource's pg pool: the hot paths run raw SQL on it,
 * and `close()` destroys the DataSource.
 *
 * @param url - e.g. `serviceUrl(adminUrl)` in production, so the process cannot change events.
 * @throws the pg error when the server cannot be reached or refuses the credentials.
 */
export async function createEventStore(url: string, options: CreateEventStoreOptions = {}): Promise<EventStore> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    applicationName: options.applicationName ?? 'baton-event-store',
    poolSize: options.poolSize ?? 10,
    logging: false,
  });
  await dataSource.initialize();
  // TypeORM's Postgres driver keeps its pg Pool in `master` (public, untyped).
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool || typeof pool.connect !== 'function') {
    await dataSource.destroy();
    throw new Error('TypeORM postgres driver exposes no pg Pool (driver.master): check the typeorm version');
  }
  return new EventStore(pool, () => dataSource.destroy());
}
