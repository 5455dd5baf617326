import { DataSource } from 'typeorm';
import { eventStoreMigrations, MIGRATIONS_TABLE, type MigrationOptions } from './event-store-migrations';
import { SERVICE_ROLE } from '../role/service-role';

/** Options of {@link migrate}: the service role's password (see {@link MigrationOptions}). */
export type MigrateOptions = MigrationOptions;

const LOCK_KEY = 'baton.event-store.migrations';

/**
 * Brings the database at `adminUrl` to the latest event-store schema, creating the
 * service role if the server has none. Idempotent: migrations already recorded in
 * `event_store_migrations` are skipped, so it runs at every start-up.
 *
 * Each migration runs in one transaction. Processes migrating the same database at once
 * wait for each other on an advisory lock. When `servicePassword` is given, the service
 * role's password is (re)set to it even if nothing else had to run.
 *
 * @param adminUrl - a role that may create tables, and roles the first time (e.g. the owner).
 * @returns the names of the migrations this call applied (`[]` when up to date).
 */
export async function migrate(adminUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: adminUrl,
    applicationName: 'baton-event-store-migrate',
    poolSize: 2,
    logging: false,
    migrations: eventStoreMigrations(options),
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (options.servicePassword !== undefined) await setServicePassword(dataSource, options.servicePassword);
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [LOCK_KEY]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

async function setServicePassword(dataSource: DataSource, password: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT set_config('baton.service_password', $1, true)`, [password]);
    await manager.query(
      `DO $do$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', '${SERVICE_ROLE}', current_setting('baton.service_password')); END $do$`,
    );
  });
}
