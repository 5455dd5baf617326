import { DataSource } from 'typeorm';
import { ApiKeys1764700011000 } from './1764700011000-api-keys';

/** Where TypeORM records the auth migrations it applied. */
export const AUTH_MIGRATIONS_TABLE = 'migrations_auth';

/**
 * Creates or upgrades the `api_keys` table (recorded in `migrations_auth`) and grants the service
 * roles SELECT on it. Idempotent; run it as the database owner after the event store's `migrate`
 * (which creates `baton_service`).
 * @param adminUrl - a role that may create tables (e.g. the owner)
 */
export async function migrateAuth(adminUrl: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres', url: adminUrl, logging: false, applicationName: 'baton-auth-migrate',
    migrations: [ApiKeys1764700011000], migrationsTableName: AUTH_MIGRATIONS_TABLE,
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await ds.destroy();
  }
}
