import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The registry of workflow definitions: immutable (name, version) rows. */
export class CreateWorkflowDefinitions1700000000100 implements MigrationInterface {
  name = 'CreateWorkflowDefinitions1700000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS workflow_definitions (
        name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        checksum text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      )`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_service') THEN
        GRANT SELECT, INSERT ON workflow_definitions TO baton_service;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS workflow_definitions');
  }
}

/**
 * Creates or upgrades the registry's tables (TypeORM migrations, recorded in
 * `migrations_definitions`). Idempotent; run it as the database owner.
 */
export async function migrateDefinitions(adminUrl: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres', url: adminUrl, logging: false,
    migrations: [CreateWorkflowDefinitions1700000000100], migrationsTableName: 'migrations_definitions',
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await ds.destroy();
  }
}
