import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `case_tenants`: the tenant of each case started in a tenant other than `default` (a case
 * without a row is the default tenant's), from `CaseStarted.tenant`; the queries filter on it.
 */
export class CaseTenants1764700011000 implements MigrationInterface {
  name = 'CaseTenants1764700011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE IF NOT EXISTS case_tenants (case_id text PRIMARY KEY, tenant text NOT NULL)');
    await q.query('CREATE INDEX IF NOT EXISTS case_tenants_by_tenant ON case_tenants (tenant, case_id)');
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_service') THEN GRANT SELECT, INSERT, UPDATE, DELETE ON case_tenants TO baton_service; END IF;
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN GRANT SELECT ON case_tenants TO baton_gateway; END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS case_tenants');
  }
}
