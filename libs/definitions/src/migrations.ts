import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { GatewayRegistersDefinitions1796169646000 } from './gateway-grants';

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
 * The contract registry: every version of every step team's Avro schema, by subject (the record's
 * full name, Confluent's RecordNameStrategy) and version, with a global id and the CRC-64-AVRO
 * fingerprint messages carry. Rows are never updated or deleted.
 */
export class CreateContractSchemas1700000000200 implements MigrationInterface {
  name = 'CreateContractSchemas1700000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS contract_schemas (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        fingerprint text NOT NULL UNIQUE,
        schema jsonb NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subject, version)
      )`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_service') THEN
        GRANT SELECT, INSERT ON contract_schemas TO baton_service;
        GRANT USAGE ON SEQUENCE contract_schemas_id_seq TO baton_service;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS contract_schemas');
  }
}

/**
 * Creates or upgrades the registry's tables (TypeORM migrations, recorded in
 * `migrations_definitions`). Idempotent; run it as the database owner.
 */
export async function migrateDefinitions(adminUrl: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres', url: adminUrl, logging: false,
    migrations: [CreateWorkflowDefinitions1700000000100, CreateContractSchemas1700000000200, GatewayRegistersDefinitions1796169646000], migrationsTableName: 'migrations_definitions',
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await ds.destroy();
  }
}
