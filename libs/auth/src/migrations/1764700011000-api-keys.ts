import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `api_keys` table: SHA-256 of each key, its tenant and roles; readable by the service roles. */
export class ApiKeys1764700011000 implements MigrationInterface {
  name = 'ApiKeys1764700011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS api_keys (
        key_id text PRIMARY KEY,
        tenant text NOT NULL,
        name text NOT NULL,
        roles text[] NOT NULL,
        key_sha256 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_service') THEN GRANT SELECT ON api_keys TO baton_service; END IF;
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN GRANT SELECT ON api_keys TO baton_gateway; END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS api_keys');
  }
}
