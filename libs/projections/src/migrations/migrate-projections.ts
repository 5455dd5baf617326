import { DataSource } from 'typeorm';
import { CreateProjectionTables1700000000200 } from './1700000000200-projection-tables';
import { CaseSummaryControls1764700005500 } from './1764700005500-case-controls';
import { CaseSummaryFamily1764700003000 } from './1764700003000-case-summary-family';
import { CaseTenants1764700011000 } from './1764700011000-case-tenants';
import { GatewayReadsProjections1796169646000 } from './1796169646000-gateway-reads-projections';

/** Where TypeORM records the projection migrations it applied. */
export const PROJECTIONS_MIGRATIONS_TABLE = 'migrations_projections';

/**
 * Creates or upgrades the projection tables (TypeORM migrations, recorded in
 * `migrations_projections`) and grants `baton_service` SELECT/INSERT/UPDATE/DELETE on them when
 * that role exists. Idempotent; run it as the database owner, after the event store's `migrate`
 * (the projector keeps its checkpoint in the event store's `checkpoints` table).
 *
 * @param adminUrl - a role that may create tables (e.g. the owner).
 */
export async function migrateProjections(adminUrl: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres', url: adminUrl, logging: false, applicationName: 'baton-projections-migrate',
    migrations: [CreateProjectionTables1700000000200, CaseSummaryControls1764700005500, CaseSummaryFamily1764700003000, CaseTenants1764700011000, GatewayReadsProjections1796169646000], migrationsTableName: PROJECTIONS_MIGRATIONS_TABLE,
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await ds.destroy();
  }
}
